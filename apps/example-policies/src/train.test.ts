import { existsSync } from 'node:fs';
import { createPruner } from '@dp/policies';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIR, loadSplit, readIdx } from './fashion-mnist.js';
import { createModel, train } from './train.js';

const present = existsSync(`${DEFAULT_DIR}/train-images-idx3-ubyte.gz`);

describe.skipIf(!present)(`Fashion-MNIST example (needs ${DEFAULT_DIR}: Debian package dataset-fashion-mnist)`, () => {
  it('reads the IDX files: 60,000 28x28 training images, labels 0..9', () => {
    const images = readIdx(`${DEFAULT_DIR}/train-images-idx3-ubyte.gz`, 10);
    expect(images.dims).toEqual([10, 28, 28]);
    const labels = loadSplit(DEFAULT_DIR, 'train', 2000).labels;
    expect(new Set(labels).size).toBe(10);
    expect(readIdx(`${DEFAULT_DIR}/train-labels-idx1-ubyte.gz`).dims).toEqual([60000]);
  });

  it('learns with ucb at pruneRatio 0.5 and the pruner sees every trained sample', () => {
    const data = loadSplit(DEFAULT_DIR, 'train', 2000);
    const test = loadSplit(DEFAULT_DIR, 't10k', 500);
    const pruner = createPruner({ policy: 'ucb', datasetSize: data.size, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    const logs = train(createModel(1), data, test, pruner, { batchSize: 32 });
    expect(logs.map((l) => l.kept)).toEqual([1000, 1000]);
    expect(logs[1]!.testAccuracy).toBeGreaterThan(0.6); // chance is 0.1
    expect(pruner.observedCount).toBe(2000);
    // ucb ranks never-observed samples first, so the two epochs together cover the whole training set once.
    const scores = pruner.scores()!;
    expect(scores.every((s) => Number.isFinite(s))).toBe(true);
  });
});
