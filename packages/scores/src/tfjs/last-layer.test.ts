import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '@dp/models';
import { describe, expect, it } from 'vitest';
import { ScoreError } from '../errors.js';
import { grandLastLayer } from '../scores/grand-last-layer.js';
import { scoreBatchFromTensors } from './adapters.js';
import { perSampleGradNorms } from './grad-norms.js';
import { lastLayerInputs, withPenultimate } from './last-layer.js';

describe('grand-last-layer with tfjs', () => {
  it('equals the gradient norm of the final dense layer (kernel + bias) computed by autodiff, on cnn-small', () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 5 });
    const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 3);
    const labels = Int32Array.from([0, 1, 2, 3, 4, 9]);
    const inputs = lastLayerInputs(model, x);
    expect(inputs.numClasses).toBe(10);
    const predicted = model.predict(x) as tf.Tensor;
    const ref = predicted.dataSync();
    inputs.logits.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
    predicted.dispose();

    const t = grandLastLayer.create(6);
    t.update({ ids: Uint32Array.from([0, 1, 2, 3, 4, 5]), labels, ...inputs });
    const closed = t.values();

    const last = model.layers[model.layers.length - 1]!;
    const lastVars = last.trainableWeights.map((w) => w.read() as tf.Variable);
    const full = perSampleGradNorms(model, x, labels);
    for (let i = 0; i < 6; i++) {
      const sq = tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const z = tf.reshape(model.apply(tf.slice(x, [i], [1]), { training: false }) as tf.Tensor, [-1]);
          return tf.reshape(tf.sub(tf.logSumExp(z), tf.slice(z, [labels[i]!], [1])), []) as tf.Scalar;
        }, lastVars);
        return tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]!;
      });
      expect(closed[i]).toBeCloseTo(Math.sqrt(sq), 3);
      // A restriction of the full gradient: never larger than exact GraNd.
      expect(closed[i]!).toBeLessThanOrEqual(full[i]! * (1 + 1e-5));
    }
    x.dispose();
    model.dispose();
  });

  it("withPenultimate shares the weights: its logits are the model's", () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    const two = withPenultimate(model);
    expect(withPenultimate(model)).toBe(two);
    const x = tf.ones([2, 28, 28, 1]);
    const [h, z] = two.predict(x) as tf.Tensor[];
    expect(h!.shape).toEqual([2, 128]);
    const ref = model.predict(x) as tf.Tensor;
    expect(Array.from(z!.dataSync())).toEqual(Array.from(ref.dataSync()));
    tf.dispose([x, h!, z!, ref]);
    model.dispose();
  });

  it('leaves no tensor behind (it runs once per scoring batch)', () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 2 });
    const x = tf.ones([3, 28, 28, 1]);
    lastLayerInputs(model, x); // builds and caches the two-output model
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) lastLayerInputs(model, x);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('in training mode leaves the batch-norm moving statistics unchanged, and no tensor behind', () => {
    const bn = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [5], units: 4, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) }),
        tfl.layers.batchNormalization(),
        tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    const x = tf.randomNormal([6, 5], 1, 2, 'float32', 4);
    lastLayerInputs(bn, x); // builds and caches the two-output model
    const weights = () => bn.getWeights().map((w) => Array.from(w.dataSync()));
    const before = weights();
    const tensors = tf.memory().numTensors;
    const training = lastLayerInputs(bn, x, { training: true });
    expect(weights()).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    // Still training mode: batch statistics give other logits than the moving ones.
    expect(Array.from(training.logits)).not.toEqual(Array.from(lastLayerInputs(bn, x).logits));
    x.dispose();
    bn.dispose();
  });

  it('refuses models whose last layer is not a linear dense layer with bias', () => {
    const softmax = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'softmax' })],
    });
    expect(() => withPenultimate(softmax)).toThrow(ScoreError);
    expect(() => withPenultimate(softmax)).toThrow(
      /has activation 'softmax', not 'linear'; fix: make the model output logits/,
    );
    const noBias = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, useBias: false })] });
    expect(() => withPenultimate(noBias)).toThrow(/has no bias/);
  });
});

describe('scoreBatchFromTensors', () => {
  it('reads what the training step computed into a ScoreBatch', () => {
    const logits = tf.tensor2d([
      [0, Math.log(3)],
      [2, 0],
    ]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const losses = tf.tensor1d([0.5, 0.25]);
    const features = tf.tensor2d([
      [1, 1],
      [3, 0],
    ]);
    const b = scoreBatchFromTensors({
      ids: Uint32Array.from([4, 2]),
      logits,
      labels,
      losses,
      features,
      batchLoss: 0.375,
    });
    expect(b.numClasses).toBe(2);
    expect(Array.from(b.labels!)).toEqual([1, 0]);
    expect(Array.from(b.losses!)).toEqual([0.5, 0.25]);
    expect(Array.from(b.featureSqNorms!)).toEqual([2, 9]);
    expect(b.batchLoss).toBe(0.375);
    expect(() => scoreBatchFromTensors({ ids: Uint32Array.from([0]), logits: losses })).toThrow(
      /logits has shape \[2\], expected \[n, numClasses\]/,
    );
    tf.dispose([logits, labels, losses, features]);
  });
});
