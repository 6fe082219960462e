import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ModelError, buildModel, modelNames } from './index.js';

describe('cnn-small', () => {
  it('runs on the native backend and outputs logits of the right shape', () => {
    expect(tf.getBackend()).toBe('tensorflow');
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    const y = tf.tidy(() => model.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor);
    expect(y.shape).toEqual([3, 10]);
    y.dispose();
    // 2 convs (no bias) + 2 BN (gamma, beta; moving mean/var are not trainable) + dense 1568x128 + 128 + 128x10 + 10
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    expect(trainable).toBe(9 * 16 + 9 * 16 * 32 + 2 * (16 + 32) + 1568 * 128 + 128 + 1280 + 10);
  });

  it('is deterministic by seed', () => {
    const a = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 3 });
    const b = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 3 });
    expect(a.getWeights()[0]!.dataSync()).toEqual(b.getWeights()[0]!.dataSync());
  });

  it("gives neighbouring seeds unrelated layers (no layer of seed s repeats another layer's stream of seed s + 1)", () => {
    // Compare the first 144 draws of every kernel (the smallest kernel's size), normalised by their first value:
    // two initialisers on the same stream differ only by their scale.
    const firstDraws = (seed: number) =>
      buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed })
        .getWeights()
        .filter((w) => w.shape.length > 1)
        .map((w) => {
          const v = w.dataSync().slice(0, 144);
          return Array.from(v, (x) => (x / v[0]!).toFixed(4)).join(',');
        });
    const one = firstDraws(1);
    const two = new Set(firstDraws(2));
    expect(one.filter((k) => two.has(k))).toEqual([]);
    expect(() => buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 2 ** 32 })).toThrow(
      'seed = 4294967296 is invalid: expected an integer in [0, 4294967295]',
    );
  });

  it('rejects inputs smaller than its two 2x2 max-pools need (4x4) with a ModelError, and builds 4x4', () => {
    for (const shape of [
      [1, 1, 1],
      [2, 2, 1],
      [3, 3, 3],
      [3, 28, 1],
      [28, 2, 1],
    ] as [number, number, number][]) {
      expect(() => buildModel('cnn-small', { inputShape: shape, numClasses: 10 })).toThrow(ModelError);
    }
    expect(() => buildModel('cnn-small', { inputShape: [3, 3, 1], numClasses: 10 })).toThrow(
      'inputShape = [3, 3, 1] is too small for cnn-small: its two 2x2 max-pools downsample by 4, so height and width must be >= 4; fix: resize the images to at least 4x4',
    );
    const model = buildModel('cnn-small', { inputShape: [4, 5, 1], numClasses: 10 });
    const y = tf.tidy(() => model.predict(tf.zeros([2, 4, 5, 1])) as tf.Tensor);
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    // The flatten keeps one 32-channel feature: fc1 is 32x128.
    expect(model.getLayer('fc1').getWeights()[0]!.shape).toEqual([32, 128]);
    model.dispose();
  });

  it('rejects unknown names and bad options with a clear error', () => {
    expect(() => buildModel('resnet9000', { inputShape: [28, 28, 1], numClasses: 10 })).toThrow(ModelError);
    expect(() => buildModel('resnet9000', { inputShape: [28, 28, 1], numClasses: 10 })).toThrow(
      `known models are ${modelNames().join(', ')}`,
    );
    expect(() => buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 1 })).toThrow(/numClasses = 1/);
  });
});
