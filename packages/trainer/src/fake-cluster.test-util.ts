// Test helpers of data-parallel training in one process: an in-process cluster and small real Fashion-MNIST runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type ImageDataset } from '@dp/data';
import { buildModel } from '@dp/models';
import { createPruner } from '@dp/policies';
import type { DataParallel } from './data-parallel.js';
import type { TrainArgs } from './trainer.js';

export function slice(d: ImageDataset, n: number): ImageDataset {
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, size: n, images: d.images.subarray(0, n * bytes), labels: d.labels.subarray(0, n) };
}

/**
 * W members of an in-process cluster: each collective resolves once every member has called it (the same call
 * order on every member, as with @dp/distributed's Collective), so W train() calls can run side by side here.
 */
export function fakeCluster(worldSize: number): DataParallel[] {
  const rounds: Array<{
    inputs: Array<Float32Array | Float64Array | Int32Array>;
    done: (v: unknown) => void;
    result: Promise<unknown>;
  }> = [];
  const calls = new Array<number>(worldSize).fill(0);
  const join = (
    rank: number,
    data: Float32Array | Float64Array | Int32Array,
    combine: (xs: (typeof data)[]) => typeof data,
  ) => {
    const i = calls[rank]!++;
    if (!rounds[i]) {
      let done!: (v: unknown) => void;
      const result = new Promise((r) => (done = r));
      rounds[i] = { inputs: [], done, result };
    }
    const round = rounds[i]!;
    round.inputs[rank] = data.slice();
    if (round.inputs.filter(Boolean).length === worldSize) round.done(combine(round.inputs));
    return round.result;
  };
  const sum = (xs: Array<Float32Array | Float64Array | Int32Array>) => {
    const out = xs[0]!.slice();
    for (const x of xs.slice(1)) for (let j = 0; j < out.length; j++) out[j]! += x[j]!;
    return out;
  };
  const gather = (xs: Array<Float32Array | Float64Array | Int32Array>) => {
    const out = new (xs[0]!.constructor as Float64ArrayConstructor)(xs[0]!.length * xs.length);
    xs.forEach((x, r) => out.set(x, r * x.length));
    return out;
  };
  return Array.from({ length: worldSize }, (_, rank) => ({
    rank,
    worldSize,
    allReduce: (data) => join(rank, data, sum) as never,
    allGather: (data) => join(rank, data, gather) as never,
  }));
}

const { train: full, test: fullTest } = await loadDataset('fashion-mnist', { download: false, env: {} });

export interface SmallRun {
  model?: 'mlp' | 'cnn-small';
  /** ucb (driven by the observed losses) or random (uniform: independent of them). */
  policy?: 'ucb' | 'random';
  epochs?: number;
  trainSize?: number;
  testSize?: number;
  /** Checkpoint every epoch into a new temporary directory (or into `dir`). */
  checkpoint?: boolean | string;
}

/**
 * train() arguments of a small real run: the first `trainSize` (961 = 15 batches of 64 and one of 1: in the last step
 * worker 1 has nothing and still takes part) Fashion-MNIST training images, batch 64, seeded model and pruner.
 */
export function smallRun({
  model = 'mlp',
  policy = 'ucb',
  epochs = 2,
  trainSize = 961,
  testSize = 301,
  checkpoint = false,
}: SmallRun = {}): Omit<TrainArgs, 'parallel'> {
  const dir = typeof checkpoint === 'string' ? checkpoint : checkpoint ? mkdtempSync(join(tmpdir(), 'dp-par-')) : '';
  return {
    model: buildModel(model, { inputShape: [28, 28, 1], numClasses: 10, seed: 4 }),
    train: slice(full, trainSize),
    test: slice(fullTest, testSize),
    pruner: createPruner({
      policy: String(policy),
      datasetSize: trainSize,
      pruneRatio: 0.3,
      totalEpochs: epochs,
      seed: 5,
      warmupEpochs: 0,
    }),
    options: { epochs, batchSize: 64, schedule: { name: 'cosine', lr: 0.05 }, weightDecay: 5e-4 },
    prefetch: 0,
    ...(dir ? { checkpoint: { dir, every: 1, fingerprint: 'f', resume: true } } : {}),
  };
}
