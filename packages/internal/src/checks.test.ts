import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIntWith, checkNumberWith } from './checks.js';

const refuse = (field: string, value: unknown, allowed: string) =>
  new RangeError(`${field}|${String(value)}|${allowed}`);

describe('checkIntWith', () => {
  it('returns integers in range and refuses everything else with the range in words', () => {
    expect(checkIntWith(refuse, 'k', 3, 0, 5)).toBe(3);
    expect(() => checkIntWith(refuse, 'k', 6, 0, 5)).toThrow('k|6|an integer in [0, 5]');
    expect(() => checkIntWith(refuse, 'k', 1.5, 0)).toThrow('k|1.5|an integer >= 0');
    expect(() => checkIntWith(refuse, 'k', 2 ** 60, 0)).toThrow(`an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
    expect(() => checkIntWith(refuse, 'k', '1', 0)).toThrow(RangeError);
  });

  it('accepts exactly the integers of [min, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.double(), (min, max, x) => {
        const ok = Number.isInteger(x) && x >= min && x <= max;
        if (ok) expect(checkIntWith(refuse, 'x', x, min, max)).toBe(x);
        else expect(() => checkIntWith(refuse, 'x', x, min, max)).toThrow(RangeError);
      }),
    );
  });
});

describe('checkNumberWith', () => {
  it('honours open bounds, refuses non-finite numbers and names the noun', () => {
    expect(checkNumberWith(refuse, 'r', 0, 0, 1)).toBe(0);
    expect(() => checkNumberWith(refuse, 'r', 1, 0, 1, { maxOpen: true })).toThrow('r|1|a number in [0, 1)');
    expect(() => checkNumberWith(refuse, 'r', 0, 0, Infinity, { minOpen: true }, 'a finite number')).toThrow(
      'r|0|a finite number in (0, inf)',
    );
    expect(() => checkNumberWith(refuse, 'r', NaN, -Infinity, Infinity)).toThrow(RangeError);
  });
});
