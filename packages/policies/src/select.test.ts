import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { SAMPLER_VERSIONS } from './sampler.js';
import { sampleSubset } from './select.js';
import { scatterShuffle } from './scatter-shuffle.js';
import { shuffledCopy } from './shuffle.js';

for (const sampler of SAMPLER_VERSIONS) {
  describe(`sampleSubset, sampler ${sampler}`, () => {
    it('draws `count` distinct items of the range, also in place from a pool', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.integer(), (n, c, seed) => {
          const count = c % (n + 1);
          const out = new Uint32Array(count);
          sampleSubset(null, 0, n, count, new Rng(seed), out, 0, undefined, sampler);
          expect(new Set(out).size).toBe(count);
          expect(out.every((x) => x < n)).toBe(true);
          const pool = Uint32Array.from({ length: n }, (_, i) => 1000 + i);
          const start = Math.min(3, n);
          const m = Math.min(count, n - start);
          sampleSubset(pool, start, n, m, new Rng(seed), pool, start, undefined, sampler);
          const drawn = pool.subarray(start, start + m);
          expect(new Set(drawn).size).toBe(m);
          expect(drawn.every((x) => x >= 1003 && x < 1000 + n)).toBe(true);
          expect([...pool.subarray(0, start)]).toEqual([...Array(start).keys()].map((i) => 1000 + i));
        }),
      );
    });

    it('makes every 2-subset of 6 items equally likely (chi-square over 15 subsets)', () => {
      const counts = new Map<string, number>();
      const rng = new Rng(2);
      const out = new Uint32Array(2);
      const trials = 15000;
      for (let t = 0; t < trials; t++) {
        sampleSubset(null, 0, 6, 2, rng, out, 0, undefined, sampler);
        const key = [...out].sort().join();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect(counts.size).toBe(15);
      const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
      expect(chi2).toBeLessThan(36.1); // p = 0.001 at 14 degrees of freedom
    });

    it('includes every item of a large range with probability count/n', () => {
      const n = 40;
      const counts = new Array(n).fill(0);
      const rng = new Rng(3);
      const out = new Uint32Array(13);
      const trials = 4000;
      for (let t = 0; t < trials; t++) {
        sampleSubset(null, 0, n, 13, rng, out, 0, undefined, sampler);
        for (const id of out) counts[id]++;
      }
      const expected = (trials * 13) / n;
      const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      expect(chi2).toBeLessThan(73.4); // p = 0.001 at 39 degrees of freedom
    });

    it('small counts and small complements (version 3 draws them by partial Fisher-Yates) are uniform too', () => {
      // From a pool range: ids 103 .. 142 of pool[3, 43); each count is a share of at most a fifth either way.
      const pool = Uint32Array.from({ length: 45 }, (_, i) => 100 + i);
      const n = 40;
      for (const [count, seed] of [
        [4, 5],
        [36, 6],
        [1, 7],
      ] as const) {
        const counts = new Array(n).fill(0);
        const pairs = new Map<string, number>();
        const rng = new Rng(seed);
        const out = new Uint32Array(count);
        const trials = 4000;
        for (let t = 0; t < trials; t++) {
          sampleSubset(pool, 3, 43, count, rng, out, 0, undefined, sampler);
          expect(new Set(out).size).toBe(count);
          for (const id of out) counts[id - 103]++;
          if (count === 1) pairs.set(String(out[0]), 0);
        }
        const expected = (trials * count) / n;
        const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / (expected * (1 - count / n)), 0);
        expect(chi2).toBeLessThan(73.4); // p = 0.001 at 39 degrees of freedom (binomial counts, variance-scaled)
        if (count === 1) expect(pairs.size).toBe(n);
      }
      expect([...pool]).toEqual(Array.from({ length: 45 }, (_, i) => 100 + i)); // the pool is left unchanged
    });
  });
}

describe('shuffledCopy (versions 1 and 2) and scatterShuffle (version 3)', () => {
  it('return a permutation with weights carried along, small (Fisher-Yates) and large (Rao-Sandelius)', () => {
    for (const shuffle of [shuffledCopy, scatterShuffle])
      for (const [n, small] of [
        [0, 16],
        [1, 16],
        [1000, 2048],
        [1000, 16],
        [5003, 1024],
        [600000, 1 << 19],
      ] as const) {
        const src = Uint32Array.from({ length: n }, (_, i) => i * 3);
        const w = Float32Array.from(src, (x) => x + 0.5);
        const { indices, weights } = shuffle(n, src, w, new Rng(n), small);
        const seen = new Uint8Array(3 * n);
        let ok = true;
        indices.forEach((x, i) => {
          ok &&= x % 3 === 0 && x < 3 * n && !seen[x] && weights![i] === x + 0.5;
          seen[x] = 1;
        });
        expect(ok).toBe(true);
        const ids = shuffle(n, null, null, new Rng(n), small).indices;
        expect(new Set(ids).size).toBe(n);
      }
  });

  it('large shuffles are uniform: where item 0 lands, and which of two items comes first', () => {
    const n = 5003;
    const bins = new Array(20).fill(0);
    let before = 0;
    const rng = new Rng(9);
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const { indices } = shuffledCopy(n, null, null, rng, 1024);
      const p0 = indices.indexOf(0);
      bins[Math.floor((p0 / n) * 20)]++;
      if (p0 < indices.indexOf(1)) before++;
    }
    const chi2 = bins.reduce((s, c) => s + (c - trials / 20) ** 2 / (trials / 20), 0);
    expect(chi2).toBeLessThan(43.8); // p = 0.001 at 19 degrees of freedom
    expect(Math.abs(before / trials - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / trials));
  }, 600_000); // ~4 s of CPU: on the shared machine it timed out at vitest's default (main too)
});
