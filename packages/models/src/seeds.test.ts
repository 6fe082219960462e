import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeedStream } from './seeds.js';

describe('SeedStream', () => {
  it('property: the same seed gives the same stream of 32-bit seeds; no repeats within a model-sized stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = new SeedStream(seed);
        const b = new SeedStream(seed);
        const xs = Array.from({ length: 200 }, () => a.next());
        expect(Array.from({ length: 200 }, () => b.next())).toEqual(xs);
        expect(new Set(xs).size).toBe(xs.length);
        for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
      }),
    );
  });

  it('different seeds give different streams', () => {
    const first = (s: number) => Array.from({ length: 4 }, ((st) => () => st.next())(new SeedStream(s)));
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(1));
  });
});
