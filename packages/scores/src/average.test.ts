import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageScores } from './average.js';

describe('averageScores', () => {
  it('averages element-wise (hand-checked)', () => {
    expect(Array.from(averageScores([Float32Array.from([1, 2]), Float32Array.from([3, 6])]))).toEqual([2, 4]);
  });

  it('is the identity for one run and invariant to run order', () => {
    // Multiples of 1/64 below 2^20: float64 sums of a few of them are exact, so order cannot matter.
    const f32 = fc.integer({ min: -(2 ** 26), max: 2 ** 26 }).map((i) => i / 64 + 0);
    fc.assert(
      fc.property(fc.array(fc.array(f32, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const runs = rows.map((r) => Float32Array.from(r));
        expect(Array.from(averageScores([runs[0]!]))).toEqual(Array.from(runs[0]!));
        expect(Array.from(averageScores([...runs].reverse()))).toEqual(Array.from(averageScores(runs)));
      }),
      { seed: 3 },
    );
  });

  it('refuses empty input, length mismatch and non-finite scores', () => {
    expect(() => averageScores([])).toThrow(/runs = Array\(0\) is invalid/);
    expect(() => averageScores([new Float32Array(2), new Float32Array(3)])).toThrow(
      /runs\[1\] has 3 scores but runs\[0\] has 2/,
    );
    expect(() => averageScores([Float32Array.from([NaN])])).toThrow(
      /runs\[0\]\[0\] = NaN is not finite; fix: discard the diverged run/,
    );
  });
});
