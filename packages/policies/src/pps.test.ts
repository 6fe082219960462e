import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrunerError } from './errors.js';
import { inclusionProbabilities, systematicSample } from './pps.js';
import { Rng } from './rng.js';

/** The straightforward algorithm (one full pass per capping round, probabilities written out): the reference. */
function referenceProbabilities(sizes: number[], k: number, mix: number): Float64Array {
  const n = sizes.length;
  const out = new Float64Array(n);
  let max = 0;
  for (const s of sizes) if (s > max) max = s;
  let total = 0;
  for (const s of sizes) total += s / max;
  const sizeShare = max > 0 ? (1 - mix) / total : 0;
  const uniformShare = max > 0 ? mix / n : 1 / n;
  let budget = k;
  let poolShare = 0;
  for (let i = 0; i < n; i++) {
    out[i] = max > 0 ? (sizes[i]! / max) * sizeShare + uniformShare : uniformShare;
    poolShare += out[i]!;
  }
  if (k === n) return out.fill(1);
  let scale = budget / poolShare;
  for (;;) {
    let capped = 0;
    let pool = 0;
    let pooled = 0;
    for (let i = 0; i < n; i++) {
      const q = out[i]!;
      if (q < 0) continue;
      if (q * scale >= 1) {
        capped++;
        out[i] = -1;
      } else {
        pool += q;
        pooled++;
      }
    }
    if (capped === 0) return out.map((q) => (q < 0 ? 1 : q * scale));
    budget -= capped;
    if (budget <= 0 || !(budget / pool < Infinity)) {
      const even = budget > 0 ? budget / pooled : 0;
      return out.map((q) => (q < 0 ? 1 : even));
    }
    scale = budget / pool;
  }
}

const sizesArb = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), {
  minLength: 1,
  maxLength: 300,
});

describe('inclusionProbabilities', () => {
  it('property: sums to k, each in (0, 1], at least k·mix/n, ordered like the sizes', () => {
    fc.assert(
      fc.property(
        sizesArb,
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-12, 1e-20)),
        fc.nat(),
        (sizes, mix, kSeed) => {
          const n = sizes.length;
          const k = kSeed % (n + 1);
          const p = inclusionProbabilities(sizes, k, mix);
          const sum = p.reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - k)).toBeLessThan(1e-9 * Math.max(k, 1));
          for (let i = 0; i < n; i++) {
            if (k > 0 && mix >= 1e-12) expect(p[i]).toBeGreaterThan(0); // below that, mix/n is lost next to 1 in float64
            expect(p[i]).toBeLessThanOrEqual(1);
            expect(p[i]).toBeGreaterThanOrEqual((k * mix) / n - 1e-12);
            for (let j = 0; j < n; j++) if (sizes[i]! > sizes[j]!) expect(p[i]).toBeGreaterThanOrEqual(p[j]! - 1e-12);
          }
        },
      ),
    );
  });

  it('property: bit for bit the straightforward algorithm (fused first round, skipped last round)', () => {
    const fewValues = fc.array(fc.constantFrom(0, 0.1, 0.3, 1, 2, 3), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.oneof(sizesArb, fewValues),
        fc.constantFrom(0, 1e-20, 0.001, 0.1, 0.3, 0.5, 1),
        fc.nat(),
        (sizes, mix, kSeed) => {
          const k = kSeed % (sizes.length + 1);
          expect(inclusionProbabilities(sizes, k, mix)).toEqual(referenceProbabilities(sizes, k, mix));
        },
      ),
      { numRuns: 500 },
    );
    // Shares within rounding of 1 / k, where the guessed first capping round is wrong and is redone in full.
    for (const [sizes, k] of [
      [[1, 1, 1, 0.1, 0.3, 0.3, 0.3, 2], 6],
      [[3, 1, 2, 1, 1, 2], 5],
      [[0.3, 0, 1, 0.3, 0.3, 3, 2, 0.1, 0.3, 3, 2, 0, 1, 2, 0.1, 0.3, 0, 2, 0.3, 0], 9],
    ] as [number[], number][]) {
      expect(inclusionProbabilities(sizes, k, 0)).toEqual(referenceProbabilities(sizes, k, 0));
    }
  });

  it('caps items above 1 and spreads their excess over the rest', () => {
    // Uncapped: 2 · 100/103 > 1, so item 0 is certain and the other place is shared by three equal items.
    expect([...inclusionProbabilities([100, 1, 1, 1], 2, 0)].map((x) => +x.toFixed(12))).toEqual(
      [1, 1 / 3, 1 / 3, 1 / 3].map((x) => +x.toFixed(12)),
    );
    // Two rounds: 50 is certain only once 100 has left the pool.
    const p = inclusionProbabilities([100, 50, 1, 1, 1], 3, 0);
    expect(p[0]).toBe(1);
    expect(p[1]).toBe(1);
    expect(p[2]).toBeCloseTo(1 / 3, 12);
  });

  it('keeps Σp = k when the capped items hold nearly all the share (tiny mix), and spreads leftover places evenly (mix 0)', () => {
    const tiny = inclusionProbabilities([1, 0, 0], 2, 1e-20);
    expect(tiny[0]).toBe(1);
    expect(tiny[1]! + tiny[2]!).toBeCloseTo(1, 12);
    expect(tiny[1]).toBeGreaterThan(0);
    expect([...inclusionProbabilities([1, 0, 0], 2, 0)]).toEqual([1, 0.5, 0.5]);
    const many = inclusionProbabilities([...Array(10).fill(1e6), ...Array(990).fill(1)], 20, 1e-10);
    expect(Math.abs(many.reduce((a, b) => a + b, 0) - 20)).toBeLessThan(1e-9);
  });

  it('is uniform for all-zero sizes or mix = 1, and all 1 for k = n', () => {
    expect([...inclusionProbabilities([0, 0, 0, 0], 1, 0.2)]).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect([...inclusionProbabilities([5, 0, 1, 9], 2, 1)]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect([...inclusionProbabilities([5, 0, 1], 3, 0.1)]).toEqual([1, 1, 1]);
  });

  it('refuses bad input, naming it', () => {
    expect(() => inclusionProbabilities([1, Number.NaN], 1, 0.5)).toThrow(/sizes\[1\].*NaN.*finite number >= 0/);
    expect(() => inclusionProbabilities([1, -2], 1, 0.5)).toThrow(PrunerError);
    expect(() => inclusionProbabilities([1, 2], 3, 0.5)).toThrow(/k.*3.*\[0, 2\]/);
    expect(() => inclusionProbabilities([1, 2], 1, 1.5)).toThrow(/mix/);
  });
});

/** systematicSample as first written (threshold moved by 1 at every take): the reference for its faster pass. */
function referenceSystematic(p: Float64Array, n: number, k: number, rng: Rng): Uint32Array {
  const out = new Uint32Array(k);
  const blocks = new Uint32Array(Math.ceil(n / 64));
  for (let b = 0; b < blocks.length; b++) blocks[b] = b;
  rng.shuffle(blocks);
  let threshold = rng.nextFloat();
  let acc = 0;
  let count = 0;
  for (let j = 0; j < blocks.length && count < k; j++) {
    for (let id = blocks[j]! * 64; id < Math.min(blocks[j]! * 64 + 64, n) && count < k; id++) {
      acc += p[id]!;
      if (acc > threshold) {
        out[count++] = id;
        threshold += 1;
      }
    }
  }
  return count === k ? out : out.fill(0xffffffff, count); // the rare top-up is not part of the reference
}

describe('systematicSample', () => {
  it('property: bit for bit the plain threshold walk (below and above the closed-form limit k < 2^21 - 2)', () => {
    fc.assert(
      fc.property(
        sizesArb,
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.nat(),
        fc.integer(),
        (sizes, mix, kSeed, seed) => {
          const n = sizes.length;
          const k = kSeed % (n + 1);
          const p = inclusionProbabilities(sizes, k, mix);
          const expected = referenceSystematic(p, n, k, new Rng(seed));
          if (expected.includes(0xffffffff)) return; // Σp rounded below k: the top-up draws differ from the reference
          const out = new Uint32Array(k);
          systematicSample(p, n, k, new Rng(seed), out);
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    // k >= 2^21 - 2 takes the plain walk: ~2.1 million items.
    const n = 2 ** 21 + 1000;
    const k = 2 ** 21 - 1;
    const rng = new Rng(3);
    const sizes = new Float64Array(n);
    for (let i = 0; i < n; i++) sizes[i] = rng.nextFloat();
    const p = inclusionProbabilities(sizes, k, 0.3, sizes);
    const out = new Uint32Array(k);
    systematicSample(p, n, k, new Rng(4), out);
    const expected = referenceSystematic(p, n, k, new Rng(4));
    expect(expected.includes(0xffffffff)).toBe(false);
    expect(out.findIndex((id, j) => id !== expected[j])).toBe(-1); // (toEqual on 2 million entries is slow)
  });

  it('property: exactly k distinct ids', () => {
    fc.assert(
      fc.property(
        sizesArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        fc.integer(),
        (sizes, mix, kSeed, seed) => {
          const n = sizes.length;
          const k = kSeed % (n + 1);
          const p = inclusionProbabilities(sizes, k, mix);
          const out = new Uint32Array(k);
          systematicSample(p, n, k, new Rng(seed), out);
          expect(new Set(out).size).toBe(k);
          for (const id of out) expect(id).toBeLessThan(n);
        },
      ),
    );
  });

  it('refuses a k or n that does not fit, naming it', () => {
    const p = Float64Array.from([0.5, 0.5]);
    expect(() => systematicSample(p, 3, 1, new Rng(1), new Uint32Array(1))).toThrow(
      /n = 3 is invalid: expected an integer in \[0, 2\]/,
    );
    expect(() => systematicSample(p, 2, 2, new Rng(1), new Uint32Array(1))).toThrow(
      /k = 2 is invalid: expected an integer in \[0, 1\]/,
    );
  });

  it('includes each item with its probability across the block order (n = 200, 4,000 draws)', () => {
    const n = 200;
    const p = inclusionProbabilities(
      Array.from({ length: n }, (_, i) => (i % 10) + (i < 64 ? 20 : 0)),
      50,
      0.2,
    );
    const hits = new Float64Array(n);
    const rng = new Rng(5);
    const out = new Uint32Array(50);
    const draws = 4000;
    for (let t = 0; t < draws; t++) {
      systematicSample(p, n, 50, rng, out);
      for (const id of out) hits[id]!++;
    }
    // Binomial std <= 0.0079 over 4,000 draws: 0.04 is > 5 std.
    for (let i = 0; i < n; i++) expect(Math.abs(hits[i]! / draws - p[i]!)).toBeLessThan(0.04);
  });

  it('includes each item with its probability (20,000 draws)', () => {
    const p = Float64Array.from([1, 0.8, 0.5, 0.3, 0.2, 0.2]); // Σ = 3
    const hits = new Float64Array(6);
    const rng = new Rng(11);
    const out = new Uint32Array(3);
    const draws = 20000;
    for (let t = 0; t < draws; t++) {
      systematicSample(p, 6, 3, rng, out);
      for (const id of out) hits[id]!++;
    }
    // Binomial std at p = 0.5 over 20,000 draws is 0.0035: 0.015 is > 4 std.
    for (let i = 0; i < 6; i++) expect(Math.abs(hits[i]! / draws - p[i]!)).toBeLessThan(0.015);
  });
});
