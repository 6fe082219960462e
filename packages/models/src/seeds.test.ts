import '@tensorflow/tfjs-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from './registry.js';
import { SeedStream, tfjsSeed } from './seeds.js';
import type { ModelOptions } from './types.js';

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

  it('as documented: seeds less than 21,582,161 apart share no draw within 143; seed s + 0x9e3779b9 repeats s shifted by one', () => {
    const draws = (seed: number, n: number) => {
      const st = new SeedStream(seed);
      return Array.from({ length: n }, () => st.next());
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 21_582_160 }), (s, d) => {
        const a = new Set(draws(s, 143));
        expect(draws((s + d) >>> 0, 143).filter((x) => a.has(x))).toEqual([]);
      }),
      { numRuns: 50 },
    );
    for (const s of [0, 1, 7, 2 ** 32 - 1]) {
      expect(draws((s + 0x9e3779b9) >>> 0, 10)).toEqual(draws(s, 11).slice(1));
      // m = 89 is the smallest multiple of 0x9e3779b9 that comes back within 21,582,161 of 0 (mod 2^32).
      expect(draws((s + Math.imul(89, 0x9e3779b9)) >>> 0, 5)).toEqual(draws(s, 94).slice(89));
    }
    expect(
      Math.min(
        ...Array.from({ length: 142 }, (_, m) => {
          const v = Number((BigInt(m + 1) * 0x9e3779b9n) % 2n ** 32n);
          return Math.min(v, 2 ** 32 - v);
        }),
      ),
    ).toBe(21_582_161);
  });

  it('different seeds give different streams', () => {
    const first = (s: number) =>
      Array.from(
        { length: 4 },
        (
          (st) => () =>
            st.next()
        )(new SeedStream(s)),
      );
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(1));
  });
});

describe('a model is a pure function of (architecture, seed)', () => {
  const weights = (name: string, opts: ModelOptions) => {
    const m = buildModel(name, opts);
    const w = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return w;
  };
  // Seed 0 is the CLI's default; tfjs' normal generators treat a literal 0 as "unseeded" (tfjsSeed).
  it.each([
    ['cnn-small', { inputShape: [28, 28, 1], numClasses: 10 }],
    ['resnet20', { inputShape: [32, 32, 3], numClasses: 10 }],
  ] as [string, ModelOptions][])(
    '%s: the same seed, 0 included, builds identical weights; another seed does not',
    (name, opts) => {
      for (const seed of [0, 1]) expect(weights(name, { ...opts, seed })).toEqual(weights(name, { ...opts, seed }));
      expect(weights(name, { ...opts, seed: 0 })[0]).not.toEqual(weights(name, { ...opts, seed: 1 })[0]);
    },
  );

  it('tfjsSeed replaces only 0', () => {
    expect(tfjsSeed(0)).not.toBe(0);
    expect(tfjsSeed(1)).toBe(1);
    expect(tfjsSeed(2 ** 32 - 1)).toBe(2 ** 32 - 1);
  });
});
