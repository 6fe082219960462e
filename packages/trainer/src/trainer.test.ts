import * as tf from '@tensorflow/tfjs-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@dp/models';
import { createPruner, Pruner, type PrunerConfig, type PrunerState } from '@dp/policies';
import { describe, expect, it } from 'vitest';
import { fashionMnist, slice } from './fmnist.test-util.js';
import { checkResume, readCheckpoint, TrainError, train } from './index.js';

const { train: full, test: fullTest } = await fashionMnist();
const small = slice(full, 3000);
const smallTest = slice(fullTest, 1000);

describe('train (real cnn-small on a Fashion-MNIST slice)', () => {
  it("learns with random pruning and feeds every trained sample's loss to the pruner", async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    const pruner = createPruner({ policy: 'random', datasetSize: 3000, pruneRatio: 0.5, totalEpochs: 3, seed: 1 });
    const observed: number[] = [];
    const observe = pruner.observe.bind(pruner);
    pruner.observe = (ids, losses) => {
      observed.push(...Array.from(ids));
      expect(Array.from(losses).every((l) => Number.isFinite(l) && l >= 0)).toBe(true);
      observe(ids, losses);
    };
    let misaligned = 0;
    const result = await train({
      model,
      train: small,
      test: smallTest,
      pruner,
      options: { epochs: 3, batchSize: 64, schedule: { name: 'cosine', lr: 0.05 }, nesterov: true },
      // Every row of a step (id, label, loss) still belongs to the same sample after shuffling and batching.
      hooks: { onStep: (st) => st.ids.forEach((id, i) => void (st.labels[i] !== small.labels[id] && misaligned++)) },
    });
    expect(misaligned).toBe(0);
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
      train({
        model,
        train: small,
        pruner,
        options: { epochs: 1, batchSize: 64, schedule: { name: 'constant', lr: 1e30 }, momentum: 0.9 },
      }),
    ).rejects.toThrow(TrainError);
    model.dispose();
  });

  it("stops with a TrainError, not the pruner's error, when a loss is finite but beyond MAX_LOSS", async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 2 });
    // Logits of order 1e17 give cross-entropy losses far above 1e15 that float32 still holds.
    const last = model.layers[model.layers.length - 1]!;
    last.setWeights(last.getWeights().map((w, i) => (i === 0 ? w.mul(1e17) : w)));
    const pruner = createPruner({ policy: 'random', datasetSize: 3000, pruneRatio: 0.5, totalEpochs: 1, seed: 1 });
    const run = train({
      model,
      train: small,
      pruner,
      options: { epochs: 1, batchSize: 64, schedule: { name: 'constant', lr: 1e-9 } },
    });
    await expect(run).rejects.toThrow(TrainError);
    await expect(run).rejects.toThrow(/training loss became \d{16,} at epoch 1, step 1 .*the run has diverged/);
    model.dispose();
  });

  it('rejects a pruner sized for another dataset', async () => {
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10 });
    const pruner = createPruner({ policy: 'full', datasetSize: 10, pruneRatio: 0, totalEpochs: 1, seed: 1 });
    await expect(
      train({
        model,
        train: small,
        pruner,
        options: { epochs: 1, batchSize: 64, schedule: { name: 'constant', lr: 0.1 } },
      }),
    ).rejects.toThrow(/pruner.datasetSize = 10 does not match the training set \(3000 samples\)/);
    model.dispose();
  });

  it("hands the caller's checkpoint data back on resume, and validates evalEvery and checkpoint.every", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-trainer-'));
    const tiny = slice(full, 300);
    const args = () => ({
      model: buildModel('cnn-small', { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 4 }),
      train: tiny,
      pruner: createPruner({ policy: 'full', datasetSize: 300, pruneRatio: 0, totalEpochs: 2, seed: 1 }),
      options: { epochs: 2, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
    });
    let steps = 0;
    const first = args();
    await train({
      ...first,
      hooks: { onStep: () => void steps++ },
      checkpoint: { dir, every: 1, fingerprint: 'f', extra: () => ({ steps }) },
    });
    expect(steps).toBe(6);
    const restored: unknown[] = [];
    const again = args();
    const result = await train({
      ...again,
      checkpoint: { dir, every: 1, fingerprint: 'f', resume: true, restore: (x) => restored.push(x) },
    });
    expect(restored).toEqual([{ steps: 6 }]);
    expect(result.epochs).toHaveLength(2); // restored, nothing left to train
    const bad = args();
    await expect(train({ ...bad, options: { ...bad.options, evalEvery: 0 } })).rejects.toThrow(
      'evalEvery = 0 is invalid: expected an integer >= 1',
    );
    await expect(train({ ...bad, checkpoint: { dir, every: 0, fingerprint: 'f' } })).rejects.toThrow(
      'checkpoint.every = 0 is invalid: expected an integer >= 1',
    );
    for (const m of [first.model, again.model, bad.model]) m.dispose();
  });

  it('refuses a checkpoint of another pruner config before touching the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-trainer-'));
    const tiny = slice(full, 300);
    const run = (pruneRatio: number, seed: number) => ({
      model: buildModel('cnn-small', { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed }),
      train: tiny,
      pruner: createPruner({ policy: 'random', datasetSize: 300, pruneRatio, totalEpochs: 2, seed: 1 }),
      options: { epochs: 2, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
      checkpoint: { dir, every: 1, fingerprint: 'f', resume: true },
    });
    const first = run(0.5, 4);
    await train(first);
    const other = run(0.3, 5);
    const before = other.model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(train(other)).rejects.toThrow(
      /^the checkpoint in .* holds the state of another pruner config \(state.fingerprint differs\); fix: /,
    );
    expect(other.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    for (const m of [first.model, other.model]) m.dispose();
  });

  it('checkResume refuses another architecture naming the first tensor that differs, and touches nothing [27:7.tensor-count-message]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-trainer-'));
    const tiny = slice(full, 300);
    const pruner = createPruner({ policy: 'random', datasetSize: 300, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    const model = buildModel('cnn-small', {
      inputShape: [28, 28, 1] as [number, number, number],
      numClasses: 10,
      seed: 1,
    });
    await train({
      model,
      train: tiny,
      pruner,
      options: { epochs: 2, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
      checkpoint: { dir, every: 1, fingerprint: 'f' },
    });
    const saved = readCheckpoint(dir)!;
    const target = { model, pruner, epochs: 2, dir, fingerprint: 'f' };
    expect(checkResume(target, saved)).not.toBe(pruner);
    // Same tensor count, one shape changed: the message says which tensor and both shapes (not "14 tensors vs 14").
    const k = saved.weights.findIndex((w) => w.shape.length > 1);
    const reshaped = {
      ...saved,
      weights: saved.weights.map((w, i) => (i === k ? { ...w, shape: [w.values.length] } : w)),
    };
    expect(() => checkResume(target, reshaped)).toThrow(
      new RegExp(
        `holds weights of another architecture: tensor ${k + 1} of ${saved.weights.length} \\(.+\\) has shape \\[\\d+\\] there, the model's \\(.+\\) has \\[[\\d, ]+\\]; fix: resume with the --model`,
      ),
    );
    expect(() => checkResume(target, { ...saved, weights: saved.weights.slice(1) })).toThrow(
      `${saved.weights.length - 1} tensors, the model has ${saved.weights.length}; fix: `,
    );
    expect(() => checkResume({ ...target, fingerprint: 'g' }, saved)).toThrow(
      /written by a run with another config; fix: /,
    );
    expect(() => checkResume(target, { ...saved, pruner: { ...(saved.pruner as object), extra: 1 } })).toThrow(
      /holds a pruner state that does not load \(state\.extra = 1 is invalid.*\); fix: /,
    );
    model.dispose();
  });

  it("resumes the pruner through the caller's own Pruner class (their copy of @dp/policies and its registry)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-trainer-'));
    let made = 0;
    class CallersPruner extends Pruner {
      constructor(config: PrunerConfig, saved?: PrunerState) {
        super(config, saved);
        made++;
      }
    }
    const config: PrunerConfig = { policy: 'random', datasetSize: 300, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
    const args = () => ({
      model: buildModel('cnn-small', { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 4 }),
      train: slice(full, 300),
      pruner: new CallersPruner(config),
      options: { epochs: 2, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
    });
    const first = args();
    await train({ ...first, checkpoint: { dir, every: 1, fingerprint: 'f' } });
    made = 0;
    const again = args();
    await train({ ...again, checkpoint: { dir, every: 1, fingerprint: 'f', resume: true } });
    expect(made).toBe(2); // the caller's own, and the resumed one
    for (const m of [first.model, again.model]) m.dispose();
  });

  it("leaks no tensor per run, and keeps the caller's onStep time out of the cost buckets", async () => {
    const tiny = slice(full, 300);
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 6 });
    const args = () => ({
      model,
      train: tiny,
      pruner: createPruner({ policy: 'full', datasetSize: 300, pruneRatio: 0, totalEpochs: 1, seed: 1 }),
      options: { epochs: 1, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
    });
    await train(args()); // first call: kernels and model variables settle
    const tensors = tf.memory().numTensors;
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const result = await train({ ...args(), hooks: { onStep: () => busy(100) } });
    expect(tf.memory().numTensors).toBe(tensors);
    // 3 steps x 100 ms of hook work: none of it in training cost.
    expect(result.totals.score).toBeLessThan(0.05);
    model.dispose();
  });

  it('lets timers and signal handlers run between batches, not only at the end of an epoch', async () => {
    const tiny = slice(full, 500);
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 7 });
    let fired = false;
    const seenAt: boolean[] = [];
    await train({
      model,
      train: tiny,
      pruner: createPruner({ policy: 'full', datasetSize: 500, pruneRatio: 0, totalEpochs: 1, seed: 1 }),
      options: { epochs: 1, batchSize: 50, schedule: { name: 'constant' as const, lr: 0.05 } },
      hooks: {
        onBatch: ({ step }) => {
          // A timer set inside the epoch (as a signal handler would be queued): due from the next batch on.
          if (step === 1) setTimeout(() => (fired = true), 0);
          const until = performance.now() + 2;
          while (performance.now() < until);
          seenAt.push(fired);
        },
      },
    });
    expect(seenAt.length).toBe(10);
    // The timer ran within the epoch (the loop yields to the event loop after every batch).
    expect(seenAt[0]).toBe(false);
    expect(seenAt.slice(2).every(Boolean)).toBe(true);
    model.dispose();
  });

  it('reports evaluation progress batch by batch, yields between batches, and stops when the hook throws', async () => {
    const tiny = slice(full, 200);
    const test = { ...slice(fullTest, 1200), mean: full.mean, std: full.std };
    const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 8 });
    const args = {
      model,
      train: tiny,
      test,
      options: { epochs: 2, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 } },
    };
    const pruner = () => createPruner({ policy: 'full', datasetSize: 200, pruneRatio: 0, totalEpochs: 2, seed: 1 });
    const progress: string[] = [];
    let fired = false;
    const firedAt: boolean[] = [];
    const epochs: number[] = [];
    await train({
      ...args,
      pruner: pruner(),
      hooks: {
        onEvalBatch: ({ epoch, done, total }) => {
          progress.push(`${epoch}:${done}/${total}`);
          if (done === 500) setTimeout(() => (fired = true), 0);
          firedAt.push(fired);
        },
        onEpoch: (r) => epochs.push(r.epoch),
      },
    });
    // Batches of 500 (the evaluation default): 500, 1000, 1200, in both epochs (evalEvery 1).
    expect(progress).toEqual(['0:500/1200', '0:1000/1200', '0:1200/1200', '1:500/1200', '1:1000/1200', '1:1200/1200']);
    // A timer queued during the pass ran within it (a signal handler would too), not after the pass.
    expect(firedAt[0]).toBe(false);
    expect(firedAt[2]).toBe(true);
    expect(epochs).toEqual([0, 1]);
    // Throwing from the hook (as dp does after Ctrl-C) stops training inside the pass: no epoch report follows.
    const reported: number[] = [];
    const stop = new Error('stop');
    await expect(
      train({
        ...args,
        pruner: pruner(),
        hooks: {
          onEvalBatch: ({ epoch, done }) => {
            if (epoch === 1 && done === 500) throw stop;
          },
          onEpoch: (r) => reported.push(r.epoch),
        },
      }),
    ).rejects.toBe(stop);
    expect(reported).toEqual([0]);
    model.dispose();
  });
});
