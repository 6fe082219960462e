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

  it('different seeds give different streams', () => {
    const first = (s: number) => Array.from({ length: 4 }, ((st) => () => st.next())(new SeedStream(s)));
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
  ] as [string, ModelOptions][])('%s: the same seed, 0 included, builds identical weights; another seed does not', (name, opts) => {
    for (const seed of [0, 1]) expect(weights(name, { ...opts, seed })).toEqual(weights(name, { ...opts, seed }));
    expect(weights(name, { ...opts, seed: 0 })[0]).not.toEqual(weights(name, { ...opts, seed: 1 })[0]);
  });

  it('tfjsSeed replaces only 0', () => {
    expect(tfjsSeed(0)).not.toBe(0);
    expect(tfjsSeed(1)).toBe(1);
    expect(tfjsSeed(2 ** 32 - 1)).toBe(2 ** 32 - 1);
  });
});
