import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError, buildModel } from '../index.js';
import type { BatchNormKind, ModelOptions } from '../types.js';
import { compileInference } from './inference.js';
import { inferenceGraph } from './from-layers.js';

/** Give every batch norm non-trivial moving statistics and affine parameters, as a trained model has. */
function perturbBatchNorms(model: tfl.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (!layer.getClassName().includes('BatchNormalization')) continue;
    const [gamma, beta, mean, variance] = layer.getWeights();
    layer.setWeights([
      tf.randomUniform(gamma!.shape, 0.5, 1.5, 'float32', s++),
      tf.randomNormal(beta!.shape, 0, 0.2, 'float32', s++),
      tf.randomNormal(mean!.shape, 0, 0.3, 'float32', s++),
      tf.randomUniform(variance!.shape, 0.5, 2, 'float32', s++),
    ]);
  }
}

const cases: [string, ModelOptions, number[]][] = [
  ['cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 }, [28, 28, 1]],
  ['resnet20', { inputShape: [32, 32, 3], numClasses: 10, seed: 2 }, [32, 32, 3]],
  ['resnet18', { inputShape: [32, 32, 3], numClasses: 100, seed: 3, stem: 'cifar' }, [32, 32, 3]],
  [
    'resnet50',
    { inputShape: [64, 64, 3], numClasses: 10, seed: 4, stem: 'imagenet', widthMultiplier: 0.25 } as ModelOptions,
    [64, 64, 3],
  ],
];

describe('compileInference: the whole network as one native TensorFlow graph', () => {
  const live: { dispose(): void }[] = [];
  afterAll(() => live.forEach((m) => m.dispose()));

  for (const kind of ['fused', 'reference'] as BatchNormKind[]) {
    it.each(cases)(
      `%s (${kind} batch norm) gives the logits of model.apply(training: false) within float32 tolerance`,
      async (name, opts, shape) => {
        const model = buildModel(name, { ...opts, batchNorm: kind });
        live.push(model);
        perturbBatchNorms(model, 10);
        const compiled = await compileInference(model);
        live.push(compiled);
        for (const n of [1, 7]) {
          const x = tf.randomNormal([n, ...shape], 0, 1, 'float32', 5 + n);
          const want = model.apply(x, { training: false }) as tf.Tensor;
          const got = compiled.predict(x);
          expect(got.shape).toEqual(want.shape);
          const scale = tf.max(tf.abs(want)).dataSync()[0]!;
          const err = tf.max(tf.abs(tf.sub(want, got))).dataSync()[0]!;
          expect(scale).toBeGreaterThan(0.1);
          expect(err).toBeLessThan(1e-4 * Math.max(1, scale));
          tf.dispose([x, want, got]);
        }
      },
      120_000,
    );
  }

  it('keeps the weights of compile time: after a weight change the old session differs and a new one matches', async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 7 });
    live.push(model);
    const before = await compileInference(model);
    live.push(before);
    const dense = model.layers.find((l) => l.getClassName() === 'Dense')!;
    dense.setWeights(dense.getWeights().map((w) => tf.add(w, 0.05)));
    const after = await compileInference(model);
    live.push(after);
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 1);
    const want = model.apply(x, { training: false }) as tf.Tensor;
    const scale = Math.max(1, tf.max(tf.abs(want)).dataSync()[0]!);
    expect(tf.max(tf.abs(tf.sub(want, after.predict(x)))).dataSync()[0]).toBeLessThan(1e-4 * scale);
    expect(tf.max(tf.abs(tf.sub(want, before.predict(x)))).dataSync()[0]).toBeGreaterThan(1e-2 * scale);
  });

  it('folds nothing away: the graph keeps one op per layer and names the input and output', () => {
    const model = buildModel('resnet20', { inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
    live.push(model);
    const g = inferenceGraph(model);
    const ops = (op: string) => g.nodes.filter((n) => n.op === op).length;
    expect(ops('Conv2D')).toBe(19);
    expect(ops('FusedBatchNormV3')).toBe(19);
    expect(ops('Relu')).toBe(19);
    expect(ops('AddV2')).toBe(9);
    expect(g.inputShape).toEqual([32, 32, 3]);
    expect(g.outputShape).toEqual([10]);
    expect(g.nodes.find((n) => n.name === g.input)!.op).toBe('Placeholder');
  });

  it('names an unsupported layer, a wrong input and use after dispose', async () => {
    const input = tfl.input({ shape: [8] });
    const odd = tfl.model({
      inputs: input,
      outputs: tfl.layers.layerNormalization({ name: 'ln' }).apply(input) as tfl.SymbolicTensor,
    });
    live.push(odd);
    expect(() => inferenceGraph(odd)).toThrow(ModelError);
    expect(() => inferenceGraph(odd)).toThrow(/layer 'ln' \(LayerNormalization\) is not supported/);
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    live.push(model);
    const compiled = await compileInference(model);
    const bad = tf.zeros([2, 32, 32, 3]);
    expect(() => compiled.predict(bad)).toThrow(/x is float32 \[2, 32, 32, 3\]: expected float32 \[n, 28,28,1\]/);
    compiled.dispose();
    expect(() => compiled.predict(tf.zeros([1, 28, 28, 1]))).toThrow(/after dispose/);
    compiled.dispose(); // idempotent
  });
});
