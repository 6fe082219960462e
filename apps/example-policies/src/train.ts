import * as tf from '@tensorflow/tfjs-node';
import type { Pruner } from '@dp/policies';
import type { Split } from './fashion-mnist.js';

export interface EpochLog {
  epoch: number;
  /** Samples trained this epoch (pruner's selection). */
  kept: number;
  /** Mean unweighted training loss over those samples. */
  trainLoss: number;
  testAccuracy: number;
}

/** A small multilayer perceptron: 784 -> 128 ReLU -> 10 logits. */
export function createModel(seed: number): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [784],
      units: 128,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

/**
 * The whole integration of @dp/policies into a training loop: per epoch, ask the pruner which samples to train
 * (with a loss weight each), train them in mini-batches, and hand every sample's training loss back to it.
 */
export function train(
  model: tf.Sequential,
  data: Split,
  test: Split,
  pruner: Pruner,
  { batchSize = 64, lr = 1e-3 } = {},
): EpochLog[] {
  const optimizer = tf.train.adam(lr);
  const logs: EpochLog[] = [];
  for (let epoch = 0; epoch < pruner.config.totalEpochs; epoch++) {
    const { indices, weights } = pruner.select(epoch);
    let lossSum = 0;
    for (let start = 0; start < indices.length; start += batchSize) {
      const ids = indices.subarray(start, start + batchSize);
      const w = weights.subarray(start, start + batchSize);
      const lossValues = trainStep(model, optimizer, data, ids, w);
      pruner.observe(ids, lossValues); // in data-parallel training: the all-gathered ids and losses of every worker
      for (const l of lossValues) lossSum += l;
    }
    logs.push({
      epoch,
      kept: indices.length,
      trainLoss: lossSum / indices.length,
      testAccuracy: accuracy(model, test),
    });
  }
  optimizer.dispose();
  return logs;
}

/** One SGD step on samples `ids`: minimises sum_i(w_i * loss_i) / batch and returns the per-sample losses. */
function trainStep(
  model: tf.Sequential,
  optimizer: tf.Optimizer,
  data: Split,
  ids: Uint32Array,
  w: Float32Array,
): Float32Array {
  const n = ids.length;
  const pixels = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  ids.forEach((id, i) => {
    pixels.set(data.images.subarray(id * 784, (id + 1) * 784), i * 784);
    labels[i] = data.labels[id]!;
  });
  const perSample = tf.tidy(() => {
    const x = tf.tensor2d(pixels, [n, 784]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const weight = tf.tensor1d(w);
    let losses: tf.Tensor1D | undefined;
    optimizer.minimize(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      // Keep the per-sample losses of the training forward pass: no second forward pass for the pruner.
      losses = tf.keep(
        tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D,
      );
      return tf.div(tf.sum(tf.mul(losses, weight)), n) as tf.Scalar;
    });
    return losses!;
  });
  const values = perSample.dataSync() as Float32Array;
  perSample.dispose();
  return values;
}

/** Top-1 accuracy on a split. */
export function accuracy(model: tf.Sequential, split: Split): number {
  return tf.tidy(() => {
    const logits = model.predict(tf.tensor2d(split.images, [split.size, 784])) as tf.Tensor2D;
    const hits = tf.equal(tf.argMax(logits, 1), tf.tensor1d(split.labels, 'int32'));
    return tf.sum(tf.cast(hits, 'float32')).dataSync()[0]! / split.size;
  });
}
