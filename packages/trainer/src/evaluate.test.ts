import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadDataset, type ImageDataset } from '@dp/data';
import { buildModel } from '@dp/models';
import { createPruner } from '@dp/policies';
import { describe, expect, it } from 'vitest';
import { TrainError, evaluate, resolveInference, train } from './index.js';

function slice(d: ImageDataset, n: number): ImageDataset {
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, size: n, images: d.images.subarray(0, n * bytes), labels: d.labels.subarray(0, n) };
}

const { train: full, test: fullTest } = await loadDataset('fashion-mnist', { download: false, env: {} });

describe('evaluate: compiled (native graph) and reference inference agree on a trained model', () => {
  it('gives the same loss and accuracy both ways after real training, compiled by default', async () => {
    const data = slice(full, 2000);
    const test = slice(fullTest, 1000);
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 3 });
    const pruner = createPruner({ policy: 'full', datasetSize: 2000, pruneRatio: 0, totalEpochs: 2, seed: 1 });
    // Training moves the batch-norm moving statistics away from their initial values, so inference mode matters.
    await train({
      model,
      train: data,
      pruner,
      options: { epochs: 2, batchSize: 64, schedule: { name: 'cosine', lr: 0.05 } },
    });
    expect(resolveInference()).toBe('compiled');
    const compiled = await evaluate(model, test);
    const reference = await evaluate(model, test, { inference: 'reference' });
    expect(compiled.accuracy).toBeGreaterThan(0.6);
    expect(Math.abs(compiled.accuracy - reference.accuracy)).toBeLessThanOrEqual(1 / 1000);
    expect(compiled.loss).toBeCloseTo(reference.loss, 4);
    expect(tf.memory().numTensors).toBeLessThan(200);
    model.dispose();
  });

  it('under auto, a model the graph cannot hold is evaluated the reference way with a warning; asked for explicitly, it is an error', async () => {
    const input = tfl.input({ shape: [28, 28, 1] });
    const h = tfl.layers
      .layerNormalization({ name: 'ln' })
      .apply(tfl.layers.flatten().apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 10 }).apply(h) as tfl.SymbolicTensor });
    const test = slice(fullTest, 200);
    const warnings: string[] = [];
    const r = await evaluate(model, test, { onWarning: (m) => warnings.push(m) });
    expect(r.samples).toBe(200);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(warnings).toEqual([
      expect.stringMatching(
        /compiled inference failed \(.*layer 'ln' \(LayerNormalization\) is not supported.*\); evaluating with the reference forward pass/,
      ),
    ]);
    await expect(evaluate(model, test, { inference: 'compiled' })).rejects.toThrow(/layer 'ln'/);
    model.dispose();
  });

  it("times only its own work: the caller's onBatch is not evaluation time", async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 4 });
    const test = slice(fullTest, 1500);
    await evaluate(model, test); // the compiled graph is built and cached on first use
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const calls: number[] = [];
    const t = performance.now();
    const r = await evaluate(model, test, { onBatch: (done) => (calls.push(done), busy(150)) });
    const wall = (performance.now() - t) / 1000;
    expect(calls).toEqual([500, 1000, 1500]);
    expect(wall).toBeGreaterThan(0.45);
    // 3 x 150 ms in the hook, none of it in the evaluation's seconds.
    expect(r.seconds).toBeLessThan(wall - 0.4);
    model.dispose();
  });

  it('names a bad inference kind', () => {
    expect(() => resolveInference('fast' as never)).toThrow(TrainError);
    expect(() => resolveInference('fast' as never)).toThrow(
      /inference = "fast" is invalid: expected one of auto, compiled, reference/,
    );
  });
});
