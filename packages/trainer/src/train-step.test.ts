import * as tf from '@tensorflow/tfjs-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@dp/models';
import { createPruner, type PrunerConfig } from '@dp/policies';
import { describe, expect, it, vi } from 'vitest';
import { fashionMnist, slice } from './fmnist.test-util.js';
import { evaluate, TrainError, train, type TrainArgs, type TrainOptions } from './index.js';
import type { TrainStepKind } from './train-step.js';

// The trainer's two training steps (train-step.ts) on real cnn-small runs over Fashion-MNIST slices: the compiled
// native graph (the default on tfjs-node) and the eager tfjs step (the reference path).

const { train: full, test: fullTest } = await fashionMnist();
const data = slice(full, 400);
const test = slice(fullTest, 400);
const shape: [number, number, number] = [28, 28, 1];
// Each test trains several short real runs: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 900_000 });

/** A run's arguments: cnn-small, a loss-driven policy (UCB) so selections depend on every step's losses. */
function runArgs(trainStep: TrainStepKind, extra: Partial<TrainOptions> = {}, pruner: Record<string, unknown> = {}) {
  return {
    model: buildModel('cnn-small', { inputShape: shape, numClasses: 10, seed: 3 }),
    train: data,
    test,
    pruner: createPruner({
      policy: 'ucb',
      datasetSize: 400,
      pruneRatio: 0.3,
      totalEpochs: 3,
      seed: 5,
      ...pruner,
    } as PrunerConfig),
    options: {
      epochs: 3,
      batchSize: 100,
      schedule: { name: 'cosine' as const, lr: 0.05 },
      nesterov: true,
      weightDecay: 5e-4,
      trainStep,
      ...extra,
    },
    hooks: { onWarning: (m: string) => warnings.push(m) },
  } satisfies TrainArgs;
}
const warnings: string[] = [];
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** The largest absolute difference between two models' weights (a loop: spreading 100k numbers overflows the stack). */
function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((w, i) => w.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

/** Train `args` to the end, interrupted after epoch `stopAfter` (by a throwing onEpoch) and resumed with `resumeStep`. */
async function interruptedRun(first: TrainStepKind, resumeStep: TrainStepKind, stopAfter = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'dp-train-step-'));
  const a = runArgs(first);
  await expect(
    train({
      ...a,
      checkpoint: { dir, every: 1, fingerprint: 'f' },
      hooks: {
        ...a.hooks,
        onEpoch: (r) => {
          if (r.epoch === stopAfter) throw new Error('stop');
        },
      },
    }),
  ).rejects.toThrow('stop');
  a.model.dispose();
  const b = runArgs(resumeStep);
  const result = await train({ ...b, checkpoint: { dir, every: 1, fingerprint: 'f', resume: true } });
  const weights = weightsOf(b.model);
  b.model.dispose();
  return { result, weights };
}

describe('the training step (compiled graph vs eager tfjs ops)', () => {
  it('defaults to the compiled step on tfjs-node, and a short real run matches the eager one [28:step.real-run]', async () => {
    const c = runArgs('auto');
    const compiled = await train(c);
    const e = runArgs('eager');
    const eager = await train(e);
    expect(compiled.trainStep).toEqual({ kind: 'compiled' });
    expect(eager.trainStep).toEqual({ kind: 'eager' });
    // The same selections every epoch: UCB ranks samples by the losses of every step, and the two steps' losses
    // differ only by float32 rounding (graph-vs-eager numerics are checked to 1e-5 in @dp/models).
    expect(compiled.epochs.map((r) => r.selectionHash)).toEqual(eager.epochs.map((r) => r.selectionHash));
    // About 10 SGD steps amplify that round-off (batch norm over small batches, ReLU and max-pool ties): measured
    // here, weights within 1.6e-4 (max over ~100k), losses within the bounds below. The bounds leave
    // room for that and no more; the selections (loss-ranked) must still be identical.
    compiled.epochs.forEach((r, i) => {
      expect(Math.abs(r.trainLoss - eager.epochs[i]!.trainLoss)).toBeLessThan(1e-3);
      expect(Math.abs(r.test!.loss - eager.epochs[i]!.test!.loss)).toBeLessThan(1e-3);
      // 400 test samples: at most 2 may change their class across a near-tie.
      expect(Math.abs(r.test!.accuracy - eager.epochs[i]!.test!.accuracy)).toBeLessThanOrEqual(2 / 400);
    });
    expect(maxDiff(weightsOf(c.model), weightsOf(e.model))).toBeLessThan(1e-3);
    expect(compiled.final!.accuracy).toBeGreaterThan(0.3); // it learned: ~9 steps reach ~45% (chance: 10%)
    for (const m of [c.model, e.model]) m.dispose();
  });

  it('honours sample weights, label smoothing, weight decay, Nesterov and the lr of each step as the eager step does', async () => {
    // InfoBatch rescales the kept low-loss samples (weights != 1); linear schedule with warm-up: lr changes every step.
    const opts = {
      labelSmoothing: 0.1,
      weightDecay: 1e-3,
      nesterov: true,
      schedule: { name: 'linear' as const, lr: 0.1, warmup: 0.3 },
    };
    const policy = { policy: 'infobatch', pruneRatio: 0.5 };
    const c = runArgs('compiled', opts, policy);
    const e = runArgs('eager', opts, policy);
    const [compiled, eager] = [await train(c), await train(e)];
    expect(compiled.trainStep.kind).toBe('compiled');
    expect(compiled.epochs.map((r) => r.selectionHash)).toEqual(eager.epochs.map((r) => r.selectionHash));
    expect(maxDiff(weightsOf(c.model), weightsOf(e.model))).toBeLessThan(1e-4);
    // Without Nesterov, too (plain momentum).
    const c2 = runArgs('compiled', { ...opts, nesterov: false }, policy);
    const e2 = runArgs('eager', { ...opts, nesterov: false }, policy);
    await train(c2);
    await train(e2);
    expect(maxDiff(weightsOf(c2.model), weightsOf(e2.model))).toBeLessThan(1e-4);
    expect(maxDiff(weightsOf(c2.model), weightsOf(c.model))).toBeGreaterThan(1e-3); // Nesterov did change the run
    for (const m of [c.model, e.model, c2.model, e2.model]) m.dispose();
  });

  it.each(['compiled', 'eager'] as const)(
    'an interrupted %s run resumed the same way reproduces the uninterrupted one bit for bit [28:step.exact-resume]',
    async (kind) => {
      const a = runArgs(kind);
      const whole = await train(a);
      const wholeWeights = weightsOf(a.model);
      a.model.dispose();
      const { result, weights } = await interruptedRun(kind, kind);
      expect(result.trainStep.kind).toBe(kind);
      expect(result.epochs.map((r) => r.selectionHash)).toEqual(whole.epochs.map((r) => r.selectionHash));
      expect(result.epochs.map((r) => [r.trainLoss, r.test!.accuracy])).toEqual(
        whole.epochs.map((r) => [r.trainLoss, r.test!.accuracy]),
      );
      expect(weights).toEqual(wholeWeights); // bit-identical
    },
  );

  it('resumes across the two steps (one state: weights, momentum, iterations), close to but not promised bit-identical', async () => {
    const a = runArgs('compiled');
    await train(a);
    const wholeWeights = weightsOf(a.model);
    a.model.dispose();
    for (const [first, then] of [
      ['compiled', 'eager'],
      ['eager', 'compiled'],
    ] as const) {
      const { result, weights } = await interruptedRun(first, then);
      expect(result.trainStep.kind).toBe(then);
      expect(result.epochs).toHaveLength(3);
      // The same state carried over (weights, momentum, iterations): as close as the two steps' round-off allows.
      expect(maxDiff(weights, wholeWeights)).toBeLessThan(1e-3);
    }
  });

  it('leaks no tensor per step and evaluates with the weights and moving statistics the steps wrote', async () => {
    const a = runArgs('compiled', { epochs: 1 }, { totalEpochs: 1 });
    const counts: number[] = [];
    const result = await train({ ...a, hooks: { ...a.hooks, onStep: () => void counts.push(tf.memory().numTensors) } });
    expect(result.trainStep.kind).toBe('compiled');
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(counts.slice(1)).size).toBe(1); // after the first step (momentum accumulators made), flat
    // The epoch's evaluation saw the trained model: evaluating it again now gives the same numbers.
    const again = await evaluate(a.model, test, { converter: undefined });
    expect(again.accuracy).toBeCloseTo(result.final!.accuracy, 6);
    a.model.dispose();
  });

  it("falls back to the eager step under 'auto' with the reason, and refuses 'compiled' where it is impossible [28:step.refused]", async () => {
    // A layer the training graph does not express (dropout with a rate > 0).
    const unsupported = () => {
      const m = tf.sequential();
      m.add(tf.layers.flatten({ inputShape: shape }));
      m.add(tf.layers.dropout({ rate: 0.5 }));
      m.add(tf.layers.dense({ units: 10 }));
      return m;
    };
    const tiny = slice(full, 200);
    const args = (trainStep: TrainStepKind, model: tf.LayersModel) => ({
      model,
      train: tiny,
      pruner: createPruner({ policy: 'full', datasetSize: 200, pruneRatio: 0, totalEpochs: 1, seed: 1 }),
      options: { epochs: 1, batchSize: 100, schedule: { name: 'constant' as const, lr: 0.05 }, trainStep },
    });
    const seen: string[] = [];
    const auto = await train({ ...args('auto', unsupported()), hooks: { onWarning: (m) => seen.push(m) } });
    expect(auto.trainStep.kind).toBe('eager');
    expect(auto.trainStep.reason).toMatch(/dropout/i);
    expect(seen.filter((m) => m.startsWith('training with the eager step: '))).toHaveLength(1);

    const refused = await train(args('compiled', unsupported())).catch((e: unknown) => e);
    expect(TrainError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ field: 'trainStep', value: 'compiled' });
    expect((refused as TrainError).message).toMatch(
      /^trainStep = "compiled" is not possible here: .*dropout.*; fix: use trainStep 'auto'/i,
    );

    const model = buildModel('cnn-small', { inputShape: shape, numClasses: 10, seed: 1 });
    const parallel = { rank: 0, worldSize: 2 } as unknown as TrainArgs['parallel'];
    await expect(train({ ...args('compiled', model), parallel })).rejects.toThrow(
      'trainStep = "compiled" is not possible in a data-parallel run',
    );
    await expect(train({ ...args('fast' as TrainStepKind, model) })).rejects.toMatchObject({
      field: 'trainStep',
      value: 'fast',
      allowed: 'auto | compiled | eager',
    });
    model.dispose();
  });
});
