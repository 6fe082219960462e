import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError } from '../index.js';
import { rampKeep } from './ramp.js';

describe('ramp', () => {
  it('trains exactly round(k·E) samples over the run, growing linearly from f(1 − a) to f(1 + a)', () => {
    const p = createPruner({
      policy: 'ramp',
      datasetSize: 50_000,
      pruneRatio: 0.5,
      totalEpochs: 80,
      seed: 1,
      ramp: 0.5,
    });
    const sizes = Array.from({ length: 80 }, (_, e) => p.select(e).kept);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25_000 * 80);
    expect(sizes[0]).toBe(12_500); // N·f(1 − a)
    expect(sizes[79]).toBe(37_500); // N·f(1 + a)
    for (let e = 1; e < 80; e++) expect(sizes[e]! - sizes[e - 1]!).toBeGreaterThanOrEqual(316 - 1); // 2aN f/(E−1) per epoch
  });

  it('the total is round(k·E) and every epoch keeps 1..N, for any valid slope (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.01, max: 0.95, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r, epochs, t) => {
          const keep = Math.max(1, n - Math.floor(r * n));
          const a = t * Math.min(1, (n - keep) / keep);
          const ctx = { datasetSize: n, keep, totalEpochs: epochs };
          let total = 0;
          for (let e = 0; e < epochs; e++) {
            const k = rampKeep(e, ctx, a);
            expect(k).toBeGreaterThanOrEqual(1);
            expect(k).toBeLessThanOrEqual(n);
            total += k;
          }
          // The rounded cumulative volumes telescope to k·E exactly; only epochs whose volume is under one sample
          // (clipped up to 1) add to it.
          if (n * (keep / n) * (1 - a) >= 1) expect(total).toBe(keep * epochs);
          else expect(total).toBeGreaterThanOrEqual(keep * epochs);
        },
      ),
    );
  });

  it('is uniform random at slope 0: the same selections as `random`', () => {
    const cfg = { datasetSize: 1000, pruneRatio: 0.7, totalEpochs: 5, seed: 3 };
    const a = createPruner({ ...cfg, policy: 'ramp', ramp: 0 });
    const b = createPruner({ ...cfg, policy: 'random' });
    for (let e = 0; e < 5; e++) expect(a.select(e).indices).toEqual(b.select(e).indices);
  });

  it('includes every sample equally often within an epoch (chi-square over 300 epochs at the first epoch size)', () => {
    const n = 40;
    const p = createPruner({ policy: 'ramp', datasetSize: n, pruneRatio: 0.5, totalEpochs: 300, seed: 5, ramp: 0.8 });
    const counts = new Array(n).fill(0);
    let total = 0;
    for (let e = 0; e < 300; e++) {
      const s = p.select(e);
      total += s.kept;
      for (const id of s.indices) counts[id]++;
    }
    const expected = total / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(72.1); // p = 0.001 at 39 degrees of freedom
  });

  it('refuses a slope that would need more than all the data at the last epoch, naming the range', () => {
    const base = { policy: 'ramp', datasetSize: 100, totalEpochs: 10, seed: 1 };
    expect(() => createPruner({ ...base, pruneRatio: 0.2, ramp: 0.5 })).toThrow(PrunerError);
    expect(() => createPruner({ ...base, pruneRatio: 0.2, ramp: 0.5 })).toThrow(
      /ramp = 0.5 is invalid: expected a number in \[0, 0.2500\] at pruneRatio 0.2/,
    );
    expect(() => createPruner({ ...base, pruneRatio: 0.5, ramp: -0.1 })).toThrow(/ramp = -0.1 is invalid/);
    expect(() => createPruner({ ...base, pruneRatio: 0.5, ramp: Number.NaN })).toThrow(/ramp = NaN is invalid/);
    // The default adapts to low ratios (0.5 where it fits, else the largest valid slope).
    expect(createPruner({ ...base, pruneRatio: 0.2 }).options).toEqual({ ramp: 0.25 });
    expect(createPruner({ ...base, pruneRatio: 0.5 }).options).toEqual({ ramp: 0.5 });
  });
});
