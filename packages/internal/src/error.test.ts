import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DpError, errorProblem, invalidProblem, isDpError, isDpErrorNamed, show } from './error.js';

class KindError extends DpError {
  override readonly name = 'KindError';
}

describe('DpError', () => {
  it('carries problem, fix and the bad value, and its message is "<problem>; fix: <fix>"', () => {
    const e = new KindError(invalidProblem('lr', -1, 'a number > 0'), 'give lr a number > 0', {
      field: 'lr',
      value: -1,
      allowed: 'a number > 0',
    });
    expect(e.message).toBe('lr = -1 is invalid: expected a number > 0; fix: give lr a number > 0');
    expect([e.problem, e.fix, e.field, e.value, e.allowed]).toEqual([
      'lr = -1 is invalid: expected a number > 0',
      'give lr a number > 0',
      'lr',
      -1,
      'a number > 0',
    ]);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KindError');
  });

  it('keeps the message on one line and the cause', () => {
    const cause = new Error('low level');
    const e = new DpError('a\n  b', 'c\nd', { cause });
    expect(e.message).toBe('a b; fix: c d');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by its Symbol.for brand, not by its class: an error of another copy of the class counts', () => {
    const brand = Symbol.for('dp.error');
    // A dp error of another copy of the package: another class object, the same (global) symbol.
    const foreign = Object.assign(new Error('x; fix: y'), { name: 'KindError', problem: 'x', fix: 'y', [brand]: true });
    expect(foreign instanceof DpError).toBe(false);
    expect(DpError.isInstance(foreign)).toBe(true);
    expect(isDpErrorNamed(foreign, 'KindError')).toBe(true);
    expect(isDpErrorNamed(foreign, 'OtherError')).toBe(false);
    expect(errorProblem(foreign)).toBe('x');
  });

  it('recognises nothing but branded errors', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(isDpError(x)).toBe(false);
      }),
    );
    expect(isDpError(new Error('plain'))).toBe(false);
    expect(isDpError(Object.assign(new Error(), { [Symbol.for('dp.error')]: 'yes' }))).toBe(false);
  });
});

describe('errorProblem', () => {
  it('gives a dp error its problem, any other error its message, on one line', () => {
    expect(errorProblem(new KindError('p', 'f'))).toBe('p');
    expect(errorProblem(new Error('line 1\n  line 2'))).toBe('line 1 line 2');
    expect(errorProblem('text')).toBe('text');
  });
});

describe('show', () => {
  it('renders any value in at most 82 characters without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(show(x).length).toBeLessThanOrEqual(82);
      }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('[object Object]');
    expect(show(new Float32Array(3))).toBe('Float32Array(3)');
    expect(show(10n)).toBe('10n');
  });
});
