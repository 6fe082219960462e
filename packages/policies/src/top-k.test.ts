import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { floatsToKeys, partitionTop, topBitsHistogram, UNSEEN_KEY } from './top-k.js';

describe('floatsToKeys', () => {
  it('orders keys as the floats, NaN above everything, -0 equal to +0', () => {
    const values = [Number.NaN, -Infinity, -3.5, -1e-40, -0, 0, 1e-40, 2, 3.5e38, Infinity];
    const f = Float32Array.from(values);
    const keys = new Uint32Array(f.buffer);
    floatsToKeys(keys);
    expect(keys[0]).toBe(UNSEEN_KEY);
    for (let i = 2; i < values.length; i++) expect(keys[i]! >= keys[i - 1]!).toBe(true);
    expect(keys[4]).toBe(keys[5]);
    expect(keys[9]! < UNSEEN_KEY).toBe(true);
  });
});

describe('partitionTop', () => {
  it('puts exactly the k largest keys first (any boundary ties), the rest after, a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.nat(),
        fc.integer(),
        (values, kRaw, seed) => {
          const keys = Uint32Array.from(values);
          const n = keys.length;
          const k = kRaw % (n + 1);
          const out = new Uint32Array(n);
          partitionTop(keys, k, new Rng(seed), out);
          expect([...out].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
          // Without the rest, and with a precomputed histogram: the same top k.
          const topOnly = new Uint32Array(Math.max(k, 0));
          partitionTop(keys, k, new Rng(seed), topOnly, n, false, topBitsHistogram(keys));
          expect([...topOnly]).toEqual([...out.subarray(0, k)]);
          const sorted = [...keys].sort((a, b) => b - a);
          if (k > 0 && k < n) {
            const t = sorted[k - 1]!;
            const top = [...out.subarray(0, k)].map((i) => keys[i]!);
            const rest = [...out.subarray(k)].map((i) => keys[i]!);
            expect(Math.min(...top)).toBe(t);
            expect(Math.max(...rest)).toBeLessThanOrEqual(t);
            expect(top.filter((x) => x > t).length).toBe(sorted.filter((x) => x > t).length);
          }
        },
      ),
    );
  });

  it('breaks ties at the boundary uniformly at random', () => {
    // 10 tied keys compete for 3 places beside one clear winner: each tied id should win ~3/10 of the time.
    const keys = new Uint32Array(11).fill(7);
    keys[4] = 9;
    const wins = new Array(11).fill(0);
    const out = new Uint32Array(11);
    const rng = new Rng(11);
    const trials = 20000;
    for (let t = 0; t < trials; t++) {
      partitionTop(keys, 4, rng, out);
      for (let j = 0; j < 4; j++) wins[out[j]!]++;
    }
    expect(wins[4]).toBe(trials);
    for (let i = 0; i < 11; i++) if (i !== 4) expect(Math.abs(wins[i] / trials - 0.3)).toBeLessThan(0.02);
  });

  it('handles a large input with heavy ties (all keys in one radix bucket)', () => {
    const n = 100000;
    const keys = new Uint32Array(n);
    for (let i = 0; i < n; i++) keys[i] = 0x80000000 + (i % 3);
    const out = new Uint32Array(n);
    partitionTop(keys, 50000, new Rng(1), out);
    const top = out.subarray(0, 50000);
    expect(top.filter((i) => keys[i] === 0x80000002).length).toBe(33333);
    expect(top.filter((i) => keys[i] === 0x80000001).length).toBe(50000 - 33333);
  });
});
