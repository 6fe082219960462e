import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Run `fn` and then put `model`'s non-trainable weights (batch-norm moving mean and variance, ...) back as they
 * were, also when `fn` throws. A forward pass in training mode updates those statistics; scoring must leave the
 * model unchanged. The saved copies are disposed.
 */
export function keepingNonTrainableWeights<T>(model: LayersModel, fn: () => T): T {
  const vars = model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
  const saved = vars.map((v) => tf.clone(v));
  try {
    return fn();
  } finally {
    vars.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
  }
}
