import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { ScoreError } from '../errors.js';
import { grand } from '../scores/grand.js';
import { perSampleGradNorms } from './grad-norms.js';

/** Tiny smooth model touching every kind of trainable weight GraNd must cover: conv (+bias), batch norm, dense. */
function tinyModel(): tfl.LayersModel {
  let s = 1;
  const init = () => tfl.initializers.glorotNormal({ seed: s++ });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [4, 4, 1],
        filters: 2,
        kernelSize: 3,
        activation: 'tanh',
        kernelInitializer: init(),
        biasInitializer: tfl.initializers.randomNormal({ seed: s++, stddev: 0.3 }),
      }),
      tfl.layers.batchNormalization({
        gammaInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: s++ }),
        betaInitializer: tfl.initializers.randomNormal({ seed: s++, stddev: 0.2 }),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({
        units: 4,
        activation: 'tanh',
        kernelInitializer: init(),
        biasInitializer: tfl.initializers.randomNormal({ seed: s++, stddev: 0.3 }),
      }),
      tfl.layers.dense({
        units: 3,
        kernelInitializer: init(),
        biasInitializer: tfl.initializers.randomNormal({ seed: s++, stddev: 0.3 }),
      }),
    ],
  });
}

function sampleLoss(model: tfl.LayersModel, x: tf.Tensor, y: number): number {
  return tf.tidy(() => {
    const z = tf.reshape(model.apply(x, { training: false }) as tf.Tensor, [-1]);
    return tf.sub(tf.logSumExp(z), tf.slice(z, [y], [1])).dataSync()[0]!;
  });
}

/** ‖∇θ ℓ‖ by central differences over every trainable scalar, in float32. */
function finiteDifferenceNorm(model: tfl.LayersModel, x: tf.Tensor, y: number, h: number): number {
  let sq = 0;
  for (const w of model.trainableWeights) {
    const v = w.read() as tf.Variable;
    const base = v.dataSync().slice();
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number) => {
        const p = base.slice();
        p[j] = base[j]! + delta;
        v.assign(tf.tensor(p, v.shape));
        return sampleLoss(model, x, y);
      };
      const g = (at(h) - at(-h)) / (2 * h);
      sq += g * g;
    }
    v.assign(tf.tensor(base, v.shape));
  }
  return Math.sqrt(sq);
}

const model = tinyModel();
afterAll(() => model.dispose());

describe('perSampleGradNorms (exact GraNd)', () => {
  it('matches central finite differences over all 75 trainable parameters', () => {
    const count = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    expect(count).toBe(2 * 9 + 2 + 2 + 2 + 8 * 4 + 4 + 4 * 3 + 3);
    const x = tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', 42);
    const labels = Int32Array.from([0, 2, 1]);
    const exact = perSampleGradNorms(model, x, labels);
    for (let i = 0; i < 3; i++) {
      const xi = tf.slice(x, [i], [1]);
      // Step h = 2^-8 (exactly representable): central differences have truncation error ~ h²/6 |ℓ'''| ≈ 3e-6
      // and float32 rounding error ~ δ/h with δ ≈ 1e-7 (a few ulps of ℓ ≈ 1) ≈ 3e-5 per component; over 75
      // components the norm moves by at most ~sqrt(75) · 3e-5 ≈ 3e-4 (measured here: 2e-5 to 5e-5 on norms of
      // 1.3 to 3.1). Tolerance 5e-4 + 1e-4 · norm sits above that noise and below what dropping even the two
      // batch-norm betas from the gradient changes.
      const fd = finiteDifferenceNorm(model, xi, labels[i]!, 2 ** -8);
      expect(Math.abs(exact[i]! - fd)).toBeLessThan(5e-4 + 1e-4 * fd);
      expect(fd).toBeGreaterThan(0.05);
      xi.dispose();
    }
    x.dispose();
  });

  it('leaves the weights unchanged and feeds the grand score', () => {
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const x = tf.randomNormal([4, 4, 4, 1], 0, 1, 'float32', 7);
    const norms = perSampleGradNorms(model, x, Int32Array.from([0, 1, 2, 0]));
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    const t = grand.create(10);
    t.update({ ids: Uint32Array.from([9, 3, 5, 1]), gradNorms: norms });
    expect(t.values()[3]).toBe(norms[1]);
    x.dispose();
  });

  it('in training mode leaves the batch-norm moving statistics unchanged too, and no tensor behind', () => {
    const bn = tinyModel();
    const x = tf.randomNormal([3, 4, 4, 1], 2, 3, 'float32', 13);
    const labels = Int32Array.from([2, 0, 1]);
    const stats = () => bn.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual([
      expect.stringMatching(/moving_mean/),
      expect.stringMatching(/moving_variance/),
    ]);
    const before = bn.getWeights().map((w) => Array.from(w.dataSync()));
    const movingBefore = stats();
    const tensors = tf.memory().numTensors;
    const training = perSampleGradNorms(bn, x, labels, { training: true });
    expect(stats()).toEqual(movingBefore);
    expect(bn.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    // Still training mode (batch statistics of each single sample), not the inference-mode norms.
    expect(Array.from(training)).not.toEqual(Array.from(perSampleGradNorms(bn, x, labels)));
    x.dispose();
    bn.dispose();
  });

  it('refuses labels that do not fit the model output', () => {
    const x = tf.zeros([2, 4, 4, 1]);
    expect(() => perSampleGradNorms(model, x, [0, 3])).toThrow(ScoreError);
    expect(() => perSampleGradNorms(model, x, [0, 3])).toThrow(
      /labels\[1\] = 3 is invalid: expected an integer in \[0, 2\]/,
    );
    expect(() => perSampleGradNorms(model, x, [0])).toThrow(/labels has length 1 but x has 2 rows/);
    x.dispose();
  });
});
