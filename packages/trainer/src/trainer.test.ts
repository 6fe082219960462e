import '@tensorflow/tfjs-node';
import { loadDataset, type ImageDataset } from '@dp/data';
import { buildModel } from '@dp/models';
import { createPruner } from '@dp/policies';
import { describe, expect, it } from 'vitest';
import { TrainError, train } from './index.js';

function slice(d: ImageDataset, n: number): ImageDataset {
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, size: n, images: d.images.subarray(0, n * bytes), labels: d.labels.subarray(0, n) };
}

const { train: full, test: fullTest } = await loadDataset('fashion-mnist', { download: false, env: {} });
const small = slice(full, 3000);
const smallTest = slice(fullTest, 1000);

describe('train (real cnn-small on a Fashion-MNIST slice)', () => {
  it('learns with random pruning and feeds every trained sample\'s loss to the pruner', async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    const pruner = createPruner({ policy: 'random', datasetSize: 3000, pruneRatio: 0.5, totalEpochs: 3, seed: 1 });
    const observed: number[] = [];
    const observe = pruner.observe.bind(pruner);
    pruner.observe = (ids, losses) => {
      observed.push(...Array.from(ids));
      expect(Array.from(losses).every((l) => Number.isFinite(l) && l >= 0)).toBe(true);
      observe(ids, losses);
    };
    const result = await train({
      model,
      train: small,
      test: smallTest,
      pruner,
      options: { epochs: 3, batchSize: 64, schedule: { name: 'cosine', lr: 0.05 }, nesterov: true },
    });
    expect(result.epochs.map((e) => e.samples)).toEqual([1500, 1500, 1500]);
    expect(observed).toHaveLength(4500);
    // Epoch 0's observed ids are exactly the epoch's selection.
    expect(new Set(observed.slice(0, 1500))).toEqual(new Set(pruner.select(0).indices));
    expect(result.final!.accuracy).toBeGreaterThan(0.6);
    expect(result.totals.trainingSeconds).toBeGreaterThan(0);
    expect(result.totals.samples).toBe(4500);
    model.dispose();
  });

  it('stops with a TrainError when the loss diverges', async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 2 });
    const pruner = createPruner({ policy: 'full', datasetSize: 3000, pruneRatio: 0, totalEpochs: 1, seed: 1 });
    await expect(
      train({ model, train: small, pruner, options: { epochs: 1, batchSize: 64, schedule: { name: 'constant', lr: 1e30 }, momentum: 0.9 } }),
    ).rejects.toThrow(TrainError);
    model.dispose();
  });

  it('rejects a pruner sized for another dataset', async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10 });
    const pruner = createPruner({ policy: 'full', datasetSize: 10, pruneRatio: 0, totalEpochs: 1, seed: 1 });
    await expect(train({ model, train: small, pruner, options: { epochs: 1, batchSize: 64, schedule: { name: 'constant', lr: 0.1 } } })).rejects.toThrow(
      /pruner.datasetSize = 10 does not match the training set \(3000 samples\)/,
    );
    model.dispose();
  });
});
