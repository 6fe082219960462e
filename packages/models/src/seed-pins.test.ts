// Pins of today's initialiser seeds (2026-12-06): committed runs depend on the exact initial weights, so any change to
// the generator behind SeedStream must reproduce these hashes (SHA-256 of the first 1,000 seeds, and of the initial
// weights of the small CNN, for a few model seeds).
import '@tensorflow/tfjs-node';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildModel } from './registry.js';
import { SeedStream, tfjsSeed } from './seeds.js';

const SEEDS = [0, 1, 42, 2 ** 32 - 1, 123_456_789];
const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

describe('pinned initialiser seeds of @dp/models', () => {
  it('SeedStream: the first 1,000 derived seeds, as handed to tfjs', () => {
    const stream = (seed: number) => {
      const s = new SeedStream(seed);
      return Float64Array.from({ length: 1000 }, () => tfjsSeed(s.next()));
    };
    expect(SEEDS.map((seed) => hash(new Uint8Array(stream(seed).buffer)))).toMatchInlineSnapshot(`
      [
        "9b77fef74bf3b087",
        "bacae20ce5ae3f8d",
        "0172dde305232a8c",
        "980efc12f4662e23",
        "a646095a66626ef3",
      ]
    `);
  });

  it("cnn-small's initial weights", () => {
    const weights = (seed: number) => {
      const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed });
      const h = createHash('sha256');
      for (const w of model.getWeights()) h.update(new Uint8Array((w.dataSync() as Float32Array).buffer));
      model.dispose();
      return h.digest('hex').slice(0, 16);
    };
    expect([0, 1, 42].map(weights)).toMatchInlineSnapshot(`
      [
        "14b65ef4db3f46cb",
        "9f9b32132961aecd",
        "1b7b0a18c4d4736a",
      ]
    `);
  });
});
