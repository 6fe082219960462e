import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairedDifference, seedsToResolve } from './paired.js';
import { tQuantile975 } from './t-quantile.js';

const accuracies = fc.dictionary(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.double({ min: 0, max: 1, noNaN: true }),
  { minKeys: 2, maxKeys: 12 },
);
const bySeed = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));

describe('pairedDifference', () => {
  it('computes mean ± t(0.975, n − 1) · sd / √n over the per-seed differences', () => {
    const a = new Map([
      [0, 0.91],
      [1, 0.9],
      [2, 0.92],
    ]);
    const b = new Map([
      [0, 0.9],
      [1, 0.9],
      [2, 0.9],
    ]);
    const d = pairedDifference(a, b)!;
    // differences 0.01, 0, 0.02: mean 0.01, sd 0.01
    expect(d.seeds).toEqual([0, 1, 2]);
    expect(d.mean).toBeCloseTo(0.01, 12);
    expect(d.sd).toBeCloseTo(0.01, 12);
    expect(d.halfWidth).toBeCloseTo((4.30265273 * 0.01) / Math.sqrt(3), 9);
    expect(d.interval![0]).toBeCloseTo(0.01 - 0.024841, 6);
    expect(d.interval![1]).toBeCloseTo(0.01 + 0.024841, 6);
  });

  it('pairs only the seeds both methods ran, and gives no interval for one pair', () => {
    const a = new Map([
      [0, 0.8],
      [1, 0.82],
      [5, 0.9],
    ]);
    const b = new Map([
      [1, 0.8],
      [2, 0.7],
    ]);
    const one = pairedDifference(a, b)!;
    expect(one.seeds).toEqual([1]);
    expect(one.mean).toBeCloseTo(0.02, 12);
    expect(one.interval).toBeUndefined();
    expect(one.halfWidth).toBeUndefined();
    expect(pairedDifference(a, new Map([[3, 0.5]]))).toBeUndefined();
  });

  it('property: the interval of a method against itself is [0, 0]', () => {
    fc.assert(
      fc.property(accuracies, (o) => {
        const d = pairedDifference(bySeed(o), bySeed(o))!;
        expect(d.mean).toBe(0);
        expect(d.interval!.map(Math.abs)).toEqual([0, 0]);
      }),
    );
  });

  it('property: swapping the methods negates the interval; the pairs are the common seeds', () => {
    fc.assert(
      fc.property(accuracies, accuracies, (x, y) => {
        const [a, b] = [bySeed(x), bySeed(y)];
        const ab = pairedDifference(a, b);
        const ba = pairedDifference(b, a);
        const common = [...a.keys()].filter((s) => b.has(s)).sort((p, q) => p - q);
        if (!common.length) {
          expect(ab).toBeUndefined();
          return;
        }
        expect(ab!.seeds).toEqual(common);
        expect(ba!.seeds).toEqual(common);
        expect(ba!.mean).toBeCloseTo(-ab!.mean, 12);
        if (common.length < 2) {
          expect(ab!.interval).toBeUndefined();
          return;
        }
        expect(ba!.interval![0]).toBeCloseTo(-ab!.interval![1], 12);
        expect(ba!.interval![1]).toBeCloseTo(-ab!.interval![0], 12);
      }),
    );
  });

  it('property: the interval is centred on the mean difference, and shifting one method by c shifts it by c', () => {
    fc.assert(
      fc.property(accuracies, fc.double({ min: -0.5, max: 0.5, noNaN: true }), (o, c) => {
        const a = bySeed(o);
        const b = new Map([...a].map(([s, v], i) => [s, v * 0.9 + 0.01 * (i % 3)]));
        const d = pairedDifference(a, b)!;
        const shifted = pairedDifference(new Map([...a].map(([s, v]) => [s, v + c])), b)!;
        expect(d.interval![0]).toBeLessThanOrEqual(d.mean + 1e-15);
        expect(d.interval![1]).toBeGreaterThanOrEqual(d.mean - 1e-15);
        expect((d.interval![0] + d.interval![1]) / 2).toBeCloseTo(d.mean, 12);
        expect(shifted.mean).toBeCloseTo(d.mean + c, 9);
        expect(shifted.halfWidth!).toBeCloseTo(d.halfWidth!, 9);
      }),
    );
  });
});

describe('seedsToResolve', () => {
  it('finds the fewest seeds whose 95% half-width is at most the target', () => {
    // sd 0.3 pp, target 0.3 pp: t(0.975, n − 1) / √n <= 1 first at n = 7 (2.447 / 2.646 = 0.925; n = 6: 2.571 / 2.449 = 1.05)
    expect(seedsToResolve(0.3, 0.3)).toBe(7);
    const n = seedsToResolve(0.5, 0.3)!;
    expect((tQuantile975(n - 1) * 0.5) / Math.sqrt(n)).toBeLessThanOrEqual(0.3);
    expect((tQuantile975(n - 2) * 0.5) / Math.sqrt(n - 1)).toBeGreaterThan(0.3);
    expect(seedsToResolve(0, 0.3)).toBe(2);
    expect(seedsToResolve(Number.NaN, 0.3)).toBeUndefined();
    expect(seedsToResolve(100, 0.3)).toBeUndefined();
  });
});
