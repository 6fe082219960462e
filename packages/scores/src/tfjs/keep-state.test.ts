import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { keepingNonTrainableWeights } from './keep-state.js';

describe('keepingNonTrainableWeights', () => {
  it('puts the batch-norm moving statistics back after a training-mode pass, also when it throws, and disposes its copies', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2 }), tfl.layers.batchNormalization()],
    });
    const x = tf.randomNormal([4, 3], 5, 2, 'float32', 1);
    const stats = () => model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    const before = stats();
    const tensors = tf.memory().numTensors;
    const y = keepingNonTrainableWeights(model, () => {
      const out = model.apply(x, { training: true }) as tf.Tensor;
      expect(stats()).not.toEqual(before); // the pass did move them
      return out;
    });
    expect(stats()).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors + 1); // only the result
    y.dispose();
    expect(() =>
      keepingNonTrainableWeights(model, () => {
        tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(stats()).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
    model.dispose();
  });
});
