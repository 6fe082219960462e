import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PadShortcut } from './shortcut-a.js';

/** Reference in plain loops over typed arrays: y[n, i, j, before + c] = x[n, s*i, s*j, c], zeros elsewhere. */
function reference(x: Float32Array, [n, h, w, c]: number[], stride: number, out: number): Float32Array {
  const ho = Math.ceil(h! / stride);
  const wo = Math.ceil(w! / stride);
  const before = (out - c!) >> 1;
  const y = new Float32Array(n! * ho * wo * out);
  for (let b = 0; b < n!; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let k = 0; k < c!; k++)
          y[((b * ho + i) * wo + j) * out + before + k] = x[((b * h! + i * stride) * w! + j * stride) * c! + k]!;
  return y;
}

describe('PadShortcut (option A)', () => {
  it('property: equals strided subsampling + centred channel zero-padding, for odd and even sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(1, 2, 3),
        fc.integer({ min: 0, max: 1000 }),
        (h, w, c, extra, stride, seed) => {
          const shape = [2, h, w, c];
          const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
          const layer = new PadShortcut({ stride, outChannels: c + extra });
          const y = layer.apply(x) as tf.Tensor;
          expect(y.shape).toEqual(layer.computeOutputShape([null, h, w, c]).map((d) => d ?? 2));
          expect(Array.from(y.dataSync())).toEqual(
            Array.from(reference(x.dataSync() as Float32Array, shape, stride, c + extra)),
          );
          tf.dispose([x, y]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('passes gradients to the kept positions only', () => {
    const layer = new PadShortcut({ stride: 2, outChannels: 4 });
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 1);
    const weights = tf.randomNormal([1, 2, 2, 4], 0, 1, 'float32', 2);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, weights)))(x);
    const wv = weights.dataSync();
    const expected = new Float32Array(18);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++) expected[(i * 2 * 3 + j * 2) * 2 + k] = wv[(i * 2 + j) * 4 + 1 + k]!;
    expect(Array.from(g.dataSync())).toEqual(Array.from(expected));
    tf.dispose([x, weights, g]);
  });

  it('serialises its configuration', () => {
    const layer = new PadShortcut({ name: 'sc', stride: 2, outChannels: 32 });
    const cfg = layer.getConfig();
    expect([cfg.name, cfg.stride, cfg.outChannels]).toEqual(['sc', 2, 32]);
    const copy = tf.serialization.SerializationMap.getMap().classNameMap.PadShortcut;
    expect(copy?.[0]).toBe(PadShortcut);
  });
});
