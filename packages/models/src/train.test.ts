import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildModel } from './registry.js';

// The shared datasets: $DP_SHARED_DATA, else ../shared/datasets beside the repository root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedData = process.env.DP_SHARED_DATA ?? resolve(repoRoot, '../shared/datasets');
const batchFile = resolve(sharedData, 'cifar-10-exact-subset-bin/data_batch_1.bin');
const haveData = existsSync(batchFile);

const N = 128;
const EPOCHS = 5;
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];

/** The first N records of the official CIFAR-10 binary batch as normalised NHWC floats and labels. */
function cifarSubset(): { x: Float32Array; y: Int32Array } {
  const bytes = readFileSync(batchFile);
  const x = new Float32Array(N * 32 * 32 * 3);
  const y = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const rec = n * 3073;
    y[n] = bytes[rec]!;
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 1024; p++)
        x[(n * 1024 + p) * 3 + c] = (bytes[rec + 1 + c * 1024 + p]! / 255 - MEAN[c]!) / STD[c]!;
  }
  return { x, y };
}

describe('training a ResNet on real data', () => {
  it.skipIf(!haveData)(
    `resnet20 (option-A shortcuts, half width) fits 128 CIFAR-10 images with the trainer's SGD step${haveData ? '' : ` (skipped: ${batchFile} not found)`}`,
    () => {
      const { x, y } = cifarSubset();
      const model = buildModel('resnet20', { inputShape: [32, 32, 3], numClasses: 10, seed: 1, width: 0.5 });
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const optimizer = tf.train.momentum(0.1, 0.9);
      const batch = 32;
      const epochLoss: number[] = [];
      const tensorsBefore = tf.memory().numTensors + vars.length; // + one momentum slot per variable: nothing leaks
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        let sum = 0;
        for (let start = 0; start < N; start += batch) {
          const xs = tf.tensor4d(x.subarray(start * 3072, (start + batch) * 3072), [batch, 32, 32, 3]);
          const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(y.subarray(start, start + batch), 'int32'), 10));
          let losses: tf.Tensor | undefined;
          const cost = optimizer.minimize(
            () => {
              const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
              const l = tf.losses.softmaxCrossEntropy(ys, logits, undefined, 0, tf.Reduction.NONE);
              losses = tf.keep(l);
              return tf.mean(l) as tf.Scalar;
            },
            true,
            vars,
          );
          sum += (losses!.dataSync() as Float32Array).reduce((a, b) => a + b, 0);
          tf.dispose([xs, ys, losses!, cost!]);
        }
        epochLoss.push(sum / N);
      }
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(epochLoss[0]).toBeGreaterThan(2);
      expect(epochLoss.every(Number.isFinite)).toBe(true);
      expect(epochLoss[epochLoss.length - 1]).toBeLessThan(0.8 * epochLoss[0]!);
      model.dispose();
      optimizer.dispose();
    },
  );
});
