import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError, buildModel } from '../index.js';
import type { ModelOptions } from '../types.js';
import { compileTrainStep } from './train-step.js';
import { trainingGraph } from './train-graph.js';

interface Setup {
  model: tfl.LayersModel;
  vars: tf.Variable[];
  decayed: tf.Variable[];
  optimizer: tf.MomentumOptimizer;
}

function setup(name: string, opts: ModelOptions, nesterov: boolean): Setup {
  const model = buildModel(name, opts);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = model.trainableWeights
    .filter((w) => w.originalName.endsWith('/kernel'))
    .map((w) => w.read() as tf.Variable);
  return { model, vars, decayed, optimizer: tf.train.momentum(0.05, 0.9, nesterov) };
}

/** The trainer's eager step (packages/trainer sgdStep): weighted mean of per-sample losses + L2 on the kernels. */
function eagerStep(s: Setup, x: tf.Tensor, labels: tf.Tensor1D, w: tf.Tensor1D, lr: number, wd: number, ls: number) {
  s.optimizer.setLearningRate(lr);
  let losses: tf.Tensor | undefined;
  let hits: tf.Tensor | undefined;
  const cost = s.optimizer.minimize(
    () => {
      const logits = s.model.apply(x, { training: true }) as tf.Tensor2D;
      const y = tf.oneHot(labels, logits.shape[1]);
      const l = tf.losses.softmaxCrossEntropy(y, logits, undefined, ls, tf.Reduction.NONE);
      losses = tf.keep(l);
      hits = tf.keep(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      const data = tf.div(tf.sum(tf.mul(l, w)), labels.shape[0]) as tf.Scalar;
      return tf.add(data, tf.mul(0.5 * wd, tf.addN(s.decayed.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
    },
    true,
    s.vars,
  );
  const out = { losses: losses!.dataSync() as Float32Array, hits: hits!.dataSync() as Float32Array };
  tf.dispose([losses!, hits!, cost!]);
  return out;
}

/** The momentum accumulators of a tfjs MomentumOptimizer (private in its typings). */
const accumulators = (o: tf.MomentumOptimizer) =>
  (o as unknown as { accumulations: { variable: tf.Variable }[] }).accumulations.map((a) => a.variable);

/**
 * Largest |a - b| over every weight (moving statistics included) and momentum accumulator of the two setups, each
 * relative to max(1, max |a|).
 */
function stateError(a: Setup, b: Setup): number {
  const wa = a.model.getWeights();
  const wb = b.model.getWeights();
  const oa = accumulators(a.optimizer);
  const ob = accumulators(b.optimizer);
  expect(ob.length).toBe(oa.length);
  let worst = 0;
  [...wa.map((t, i) => [t, wb[i]!]), ...oa.map((t, i) => [t, ob[i]!])].forEach(([p, q]) => {
    const scale = Math.max(1, tf.max(tf.abs(p!)).dataSync()[0]!);
    worst = Math.max(worst, tf.max(tf.abs(tf.sub(p!, q!))).dataSync()[0]! / scale);
  });
  return worst;
}

/** Copy a's weights and accumulators into b, so each step is compared from one state (rounding does not compound). */
function sync(a: Setup, b: Setup): void {
  b.model.setWeights(a.model.getWeights());
  const ob = accumulators(b.optimizer);
  accumulators(a.optimizer).forEach((v, i) => ob[i]!.assign(v));
}

const cases: [string, ModelOptions, boolean, number, number][] = [
  // name, options, Nesterov, weight decay, label smoothing
  ['resnet20', { inputShape: [16, 16, 3], numClasses: 10, seed: 2, width: 0.5 }, true, 5e-4, 0],
  ['resnet18', { inputShape: [16, 16, 3], numClasses: 7, seed: 3, stem: 'cifar', width: 0.125 }, false, 0, 0.1],
  ['cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 4 }, true, 1e-3, 0],
];

describe('compileTrainStep: the SGD step as one native TensorFlow graph', () => {
  const live: { dispose(): void }[] = [];
  afterAll(() => live.forEach((m) => m.dispose()));

  it.each(cases)(
    '%s: each of three steps matches the eager step from the same state (losses, hits, weights, momentum, moving statistics)',
    async (name, opts, nesterov, wd, ls) => {
      const eager = setup(name, opts, nesterov);
      const fast = setup(name, opts, nesterov);
      live.push(eager.model, fast.model, eager.optimizer, fast.optimizer);
      const compiled = await compileTrainStep(fast.model, fast.optimizer, {
        vars: fast.vars,
        decayed: fast.decayed,
        weightDecay: wd,
        labelSmoothing: ls,
      });
      live.push(compiled);
      const k = opts.numClasses;
      for (let step = 0; step < 3; step++) {
        const n = step === 2 ? 5 : 12; // a short last batch, as an epoch's last one
        const x = tf.randomNormal([n, ...opts.inputShape], 0, 1, 'float32', 10 + step);
        const labels = tf.tensor1d(
          Array.from({ length: n }, (_, i) => (i * 7 + step) % k),
          'int32',
        );
        const w = tf.tensor1d(
          Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1)),
          'float32',
        );
        const want = eagerStep(eager, x, labels, w, 0.05 + 0.01 * step, wd, ls);
        const got = compiled.step(x, labels, w, 0.05 + 0.01 * step);
        for (let i = 0; i < n; i++) expect(got.losses[i]).toBeCloseTo(want.losses[i]!, 3);
        expect(Array.from(got.hits)).toEqual(Array.from(want.hits));
        tf.dispose([x, labels, w]);
        expect(stateError(eager, fast)).toBeLessThan(1e-5);
        sync(eager, fast);
      }
      expect(fast.optimizer.iterations).toBe(eager.optimizer.iterations);
    },
    300_000,
  );

  it('keeps no tensors per step', async () => {
    const s = setup('resnet20', { inputShape: [16, 16, 3], numClasses: 10, seed: 5, width: 0.25 }, true);
    live.push(s.model, s.optimizer);
    const compiled = await compileTrainStep(s.model, s.optimizer);
    live.push(compiled);
    const x = tf.randomNormal([4, 16, 16, 3]);
    const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
    const w = tf.ones([4]);
    compiled.step(x, labels, w, 0.1); // the first step creates the momentum accumulators
    const before = tf.memory().numTensors;
    compiled.step(x, labels, w, 0.1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels, w]);
  });

  it('names what it cannot compile and a wrong batch', async () => {
    const input = tfl.input({ shape: [8] });
    const dropout = tfl.model({
      inputs: input,
      outputs: tfl.layers
        .dense({ units: 3, name: 'out' })
        .apply(tfl.layers.dropout({ rate: 0.5, name: 'drop' }).apply(input)) as tfl.SymbolicTensor,
    });
    live.push(dropout);
    const options = { labelSmoothing: 0, weightDecay: 0, decayed: new Set<string>(), momentum: 0.9, nesterov: false };
    expect(() => trainingGraph(dropout, options)).toThrow(ModelError);
    expect(() => trainingGraph(dropout, options)).toThrow(/layer 'drop': dropout \(rate 0.5\) is not supported/);
    const sgd = tf.train.sgd(0.1);
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    live.push(model, sgd);
    await expect(compileTrainStep(model, sgd as unknown as tf.MomentumOptimizer)).rejects.toThrow(
      /supports tf.train.momentum, not 'SGD'/,
    );
    const compiled = await compileTrainStep(model, tf.train.momentum(0.1, 0.9));
    const bad = tf.zeros([2, 32, 32, 3]);
    expect(() => compiled.step(bad, tf.tensor1d([0, 1], 'int32'), tf.ones([2]), 0.1)).toThrow(
      /expected float32 \[n, 28,28,1\], int32 \[n\], float32 \[n\]/,
    );
    compiled.dispose();
    expect(() => compiled.step(bad, tf.tensor1d([0, 1], 'int32'), tf.ones([2]), 0.1)).toThrow(/after dispose/);
  });
});
