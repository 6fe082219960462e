import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { batchCount, createBatchLoader, type AugmentSpec, type BatchLoader, type ImageDataset } from '@dp/data';
import type { Pruner } from '@dp/policies';
import { TrainError } from './errors.js';
import { describeCpu, oneDnnAdvice, oneDnnState } from './cpu.js';
import { oneDnnModel } from './onednn-default.js';
import { restoreRun, saveRun, type RunState } from './run-state.js';
import { SelectionStats, selectionHash } from './selection-stats.js';
import {
  applyGradientSum,
  batchTensors,
  gradientStep,
  sumStep,
  type EagerBatchTensors,
  type StepModel,
} from './step.js';
import {
  checkTrainStep,
  badTrainStep,
  prepareTrainStep,
  type TrainStepKind,
  type TrainStepRunner,
  type TrainStepUsed,
} from './train-step.js';
import {
  averageNonTrainable,
  checkSameStart,
  evaluateSharded,
  packSamples,
  sampleBlock,
  shardByPosition,
  unpackSamples,
  workerBatchSize,
  type DataParallel,
  type GlobalSamples,
} from './data-parallel.js';
import { StopAgreement } from './stop-agreement.js';
import { evaluate, resolveInference, type EvalResult, type InferenceKind } from './evaluate.js';
import { InputConverter } from './input.js';
import { checkSchedule, learningRate, SCHEDULES, type ScheduleConfig } from './schedule.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  schedule: ScheduleConfig;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  nesterov?: boolean;
  /** Coupled L2 weight decay on conv/dense kernels, as PyTorch SGD's weight_decay (default 0). */
  weightDecay?: number;
  /** Label smoothing in [0, 1) (default 0). */
  labelSmoothing?: number;
  /** Evaluate on the test split every n epochs, and always after the last (default 1). */
  evalEvery?: number;
  /** How evaluation runs the network (default 'auto': a compiled native graph on tfjs-node; evaluate.ts). */
  inference?: InferenceKind;
  /**
   * Which implementation runs each training step (default 'auto': the compiled native graph when the backend, model
   * and optimizer allow it, else the eager step; train-step.ts). A performance setting, like `inference`: the same
   * update up to float32 rounding. Data-parallel runs always use the eager step ('compiled' is refused there).
   */
  trainStep?: TrainStepKind;
}

/** Seconds spent per activity; "training cost" is everything but `eval`. */
export interface Costs {
  train: number;
  data: number;
  select: number;
  score: number;
  eval: number;
}

export interface EpochReport {
  epoch: number;
  /** FNV-1a hash of this epoch's selection (ids and weights, in order): equal hashes = identical selections. */
  selectionHash: string;
  /** Samples trained this epoch (the policy's selection size). */
  samples: number;
  steps: number;
  lr: number;
  /** Mean unweighted per-sample training loss and accuracy over the samples trained. */
  trainLoss: number;
  trainAccuracy: number;
  test?: EvalResult;
  costs: Costs;
  /** Training cost of this epoch: all costs except evaluation. */
  trainingSeconds: number;
}

export interface BatchProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  samples: number;
  /**
   * Data-parallel runs: the ranks of the workers that asked to stop (`TrainHooks.stopRequested`), from the step at
   * which the first request reached the others on. The same on every worker at the same step: throwing from onBatch
   * when it is set stops every worker after the same step. Absent otherwise (and in one-process runs).
   */
  stopping?: readonly number[];
}

/** What `onEpoch` learns besides the report. */
export interface EpochInfo {
  /** As `BatchProgress.stopping`, including requests agreed at this epoch's end (e.g. Ctrl-C during evaluation). */
  stopping?: readonly number[];
}

/** What one training step computed per sample (for score trackers: no extra forward pass). */
export interface StepSamples {
  epoch: number;
  ids: Uint32Array;
  labels: Int32Array;
  /** Per-sample training losses (unweighted). */
  losses: Float32Array;
  /** 1 where the training forward pass classified the sample correctly. */
  correct: Float32Array;
}

export interface TrainHooks {
  /** After each step, with the numbers the step computed. */
  onStep?(s: StepSamples): void;
  onBatch?(p: BatchProgress): void;
  /**
   * During an epoch's test evaluation, after each batch (throwing stops training there, like from onBatch; not in a
   * data-parallel run, whose workers evaluate their own shards and then meet in an all-reduce: stop from onEpoch).
   */
  onEvalBatch?(p: { epoch: number; done: number; total: number }): void;
  /** After each epoch (and its checkpoint, when one is due). Throwing stops training there. */
  onEpoch?(r: EpochReport, info: EpochInfo): void;
  /**
   * Data-parallel runs: whether this worker has been asked to stop (e.g. Ctrl-C), read before each step's all-gather
   * and at each epoch's end. The requests travel with those collectives (stop-agreement.ts), so every worker sees
   * them at the same step, as `BatchProgress.stopping` / `EpochInfo.stopping`: stop there (by throwing from the
   * hook), never on the local request alone, and every worker stops after the same step. Unused in one process.
   */
  stopRequested?(): boolean;
  /** Once, before the first step (after a resume's restore): the training step this run uses (TrainResult.trainStep). */
  onStart?(info: { trainStep: TrainStepUsed }): void;
  /** A problem that does not stop training (e.g. evaluation fell back to the reference path); default console.warn. */
  onWarning?(message: string): void;
}

export interface TrainResult {
  epochs: EpochReport[];
  /** Per-sample selection counts and membership flips over the run. */
  selection: SelectionStats;
  final?: EvalResult;
  totals: Costs & { trainingSeconds: number; samples: number };
  /** The training step this call trained with ('auto' resolved; in a resumed run, the part trained by this call). */
  trainStep: TrainStepUsed;
}

export interface CheckpointOptions {
  /** Run directory: the checkpoint is kept in `<dir>/checkpoint`. */
  dir: string;
  /** Write a checkpoint every n epochs (and after the last). */
  every: number;
  /** Identifies the run's config; resuming from a checkpoint with another fingerprint is refused. */
  fingerprint: string;
  /** Resume from the checkpoint in `dir` if there is one. */
  resume?: boolean;
  /** Caller data saved with each checkpoint (JSON), e.g. the state of score trackers updated from `onStep`. */
  extra?: () => unknown;
  /** Called on resume, before training continues, with what `extra` returned at the checkpoint (null if none). */
  restore?: (extra: unknown) => void;
}

export interface TrainArgs {
  model: LayersModel;
  train: ImageDataset;
  test?: ImageDataset;
  /** The pruner; on resume it is restored from the checkpoint (it must have the same config). */
  pruner: Pruner;
  options: TrainOptions;
  hooks?: TrainHooks;
  checkpoint?: CheckpointOptions;
  /** Training augmentation ('none', 'crop-flip' for CIFAR, 'resized-crop-flip' for image folders), seeded by (seed, epoch, batch). */
  augment?: AugmentSpec;
  /** Seed of the augmentation draws (default 0). */
  seed?: number;
  /** Batches prepared ahead in a worker thread while the model trains (default 2; 0 = on the main thread). */
  prefetch?: number;
  /**
   * Data-parallel training over a joined cluster (@dp/distributed's `joinCluster`): `options.batchSize` is the
   * global batch, each worker trains batchSize / worldSize of it per step (data-parallel.ts). Every worker calls
   * train() with the same arguments; rank 0 alone writes checkpoints.
   */
  parallel?: DataParallel;
}

function checkOptions(o: TrainOptions): void {
  const bad = (field: string, value: unknown, allowed: string) =>
    new TrainError(`${field} = ${String(value)} is invalid: expected ${allowed}`, `pass ${field} as ${allowed}`, {
      field,
      value,
      allowed,
    });
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw bad('epochs', o.epochs, 'an integer >= 1');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw bad('batchSize', o.batchSize, 'an integer >= 1');
  if (!(o.schedule.lr > 0) || !Number.isFinite(o.schedule.lr)) throw bad('lr', o.schedule.lr, 'a finite number > 0');
  if (!SCHEDULES.includes(o.schedule.name)) throw bad('schedule', o.schedule.name, `one of ${SCHEDULES.join(', ')}`);
  checkSchedule(o.schedule);
  const m = o.momentum ?? 0.9;
  if (!(m >= 0 && m < 1)) throw bad('momentum', m, 'a number in [0, 1)');
  const wd = o.weightDecay ?? 0;
  if (!(wd >= 0 && Number.isFinite(wd))) throw bad('weightDecay', wd, 'a finite number >= 0');
  const ls = o.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls < 1)) throw bad('labelSmoothing', ls, 'a number in [0, 1)');
  const ee = o.evalEvery ?? 1;
  if (!Number.isInteger(ee) || ee < 1) throw bad('evalEvery', ee, 'an integer >= 1');
  checkTrainStep(o.trainStep ?? 'auto');
}

/**
 * Train `model` with mini-batch SGD on the samples `pruner` selects each epoch. The per-sample losses of the
 * training forward pass go to `pruner.observe` (no extra forward pass); selection weights scale each sample's
 * loss: the batch objective is sum_i(w_i * loss_i) / n, n the samples in the batch (the mean; the last batch
 * of an epoch may be smaller than batchSize).
 *
 * The steps: check the arguments, restore the run from its checkpoint (when resuming), then per epoch select, train
 * the selection batch by batch (the pruner observing each step's losses), evaluate, report and checkpoint.
 *
 * One process trains with the step `options.trainStep` chooses (train-step.ts: compiled once, after the restore, when
 * possible); data-parallel runs with the eager gradient step (gradientStep, all-reduce, applyGradientSum).
 */
export async function train(args: TrainArgs): Promise<TrainResult> {
  const { model, train: data, options, hooks, checkpoint } = args;
  checkArgs(args);
  const parallel = args.parallel && args.parallel.worldSize > 1 ? args.parallel : undefined;
  const optimizer = tf.train.momentum(options.schedule.lr, options.momentum ?? 0.9, options.nesterov ?? false);
  const fresh: RunState = { pruner: args.pruner, reports: [], selection: new SelectionStats(data.size), startEpoch: 0 };
  const leader = !parallel || parallel.rank === 0;
  const stop = new StopAgreement(parallel ? hooks?.stopRequested : undefined);
  const state = await restoreRun(model, optimizer, fresh, options.epochs, checkpoint, parallel?.worldSize ?? 1, leader);
  if (parallel) await checkSameStart(parallel, state.startEpoch, checkpoint?.dir);
  warnIfOneDnnOff(model, hooks?.onWarning ?? console.warn);
  // Batches are gathered, augmented and normalised in a worker thread, ahead of the training step.
  const loader = await createBatchLoader(data, {
    batchSize: workerBatchSize(options.batchSize, parallel),
    augment: args.augment ?? 'none',
    seed: args.seed ?? 0,
    prefetch: args.prefetch ?? 2,
  });
  let runner: TrainStepRunner | undefined;
  let used: TrainStepUsed = { kind: 'eager' };
  try {
    const step: StepModel = {
      model,
      optimizer,
      vars: model.trainableWeights.map((w) => w.read() as tf.Variable),
      decayed: model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read()),
      weightDecay: options.weightDecay ?? 0,
      labelSmoothing: options.labelSmoothing ?? 0,
    };
    // Data-parallel: the eager gradient step of each worker, all-reduced (the compiled step updates in place).
    const t0 = performance.now();
    runner = parallel ? undefined : await prepareTrainStep(step, options.trainStep ?? 'auto', data.numClasses);
    // Compiling the step is training cost (as building the inference graph is evaluation's): the first epoch's.
    let compileSeconds = (performance.now() - t0) / 1000;
    used = runner?.used ?? { kind: 'eager' };
    if (used.reason) (hooks?.onWarning ?? console.warn)(`training with the eager step: ${used.reason}`);
    hooks?.onStart?.({ trainStep: used });
    for (let epoch = state.startEpoch; epoch < options.epochs; epoch++) {
      const report = await trainEpoch(args, step, runner, loader, state, epoch, parallel, stop);
      report.costs.train += compileSeconds;
      report.trainingSeconds += compileSeconds;
      compileSeconds = 0;
      state.reports.push(report);
      if (leader && checkpoint && ((epoch + 1) % checkpoint.every === 0 || epoch === options.epochs - 1))
        await saveRun(model, optimizer, state, epoch, checkpoint, parallel?.worldSize ?? 1);
      hooks?.onEpoch?.(report, stop.stopping ? { stopping: stop.stopping } : {});
    }
  } finally {
    await loader.close();
    runner?.dispose();
    optimizer.dispose(); // also when training throws (divergence, a failed checkpoint write)
    // tfjs's MomentumOptimizer.dispose() skips SGDOptimizer's, which holds the learning-rate scalar `c`: one
    // tensor per train() call would leak.
    (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
  }
  const last = state.reports[state.reports.length - 1]?.test;
  return {
    epochs: state.reports,
    selection: state.selection,
    ...(last ? { final: last } : {}),
    totals: totalsOf(state.reports),
    trainStep: used,
  };
}

/** Every argument of train() that can be checked before anything is touched (TrainErrors with a fix). */
function checkArgs({ train: data, pruner, options, checkpoint, parallel }: TrainArgs): void {
  checkOptions(options);
  workerBatchSize(options.batchSize, parallel);
  if (checkpoint && (!Number.isInteger(checkpoint.every) || checkpoint.every < 1)) {
    throw new TrainError(
      `checkpoint.every = ${String(checkpoint.every)} is invalid: expected an integer >= 1`,
      `pass checkpoint.every as an integer >= 1`,
    );
  }
  if (pruner.config.datasetSize !== data.size) {
    throw new TrainError(
      `pruner.datasetSize = ${pruner.config.datasetSize} does not match the training set (${data.size} samples)`,
      `create the pruner with datasetSize = ${data.size}`,
    );
  }
  if (pruner.config.totalEpochs !== options.epochs) {
    throw new TrainError(
      `pruner.totalEpochs = ${pruner.config.totalEpochs} does not match epochs = ${options.epochs}`,
      `create the pruner with totalEpochs = ${options.epochs}`,
    );
  }
  resolveInference(options.inference ?? 'auto'); // validate now, not at the first evaluation
  if (options.trainStep === 'compiled' && parallel && parallel.worldSize > 1)
    throw badTrainStep(
      'compiled',
      'trainStep = "compiled" is not possible in a data-parallel run: its workers all-reduce the gradients of the eager step',
      "'auto' or 'eager' in a data-parallel run",
      "use trainStep 'auto' or 'eager' (--train-step auto | eager)",
    );
}

/**
 * One epoch: select, train the selection batch by batch (the pruner observing every step), evaluate; its report.
 * One process, `runner` trains each batch. Data-parallel (`parallel`), this worker trains its positions of the selection (data-parallel.ts) and every step
 * all-gathers the samples and all-reduces the gradients: the report is the same on every worker.
 */
async function trainEpoch(
  { train: data, test, options, hooks, model }: TrainArgs,
  step: StepModel,
  runner: TrainStepRunner | undefined,
  loader: BatchLoader,
  state: RunState,
  epoch: number,
  parallel: DataParallel | undefined,
  stop: StopAgreement,
): Promise<EpochReport> {
  const { epochs, batchSize } = options;
  const costs: Costs = { train: 0, data: 0, select: 0, score: 0, eval: 0 };
  let t = performance.now();
  const { indices, weights } = state.pruner.select(epoch);
  state.selection.record(indices);
  costs.select += (performance.now() - t) / 1000;
  const steps = batchCount(indices.length, batchSize);
  const mine = parallel ? shardByPosition(indices, weights, parallel.rank, parallel.worldSize) : { indices, weights };
  let lossSum = 0;
  let correctSum = 0;
  let seen = 0;
  let lr = 0;
  const iter = loader.epoch(mine.indices, mine.weights, epoch)[Symbol.iterator]();
  for (let k = 0; k < steps; k++) {
    t = performance.now();
    const next = iter.next();
    // Data-parallel, a worker's shard may run out one step before the others: it still takes part in the step.
    const batch = next.done ? undefined : next.value;
    // One-hot targets only where the step uses them: data-parallel's eager step, or the runner's if it is eager.
    const eager = parallel && batch ? batchTensors(batch, data.numClasses) : undefined;
    const tensors = !parallel && batch ? runner!.tensors(batch) : undefined;
    costs.data += (performance.now() - t) / 1000;

    // Progress is measured in epochs (fraction of an epoch done), so schedules do not depend on step counts.
    lr = learningRate(options.schedule, (epoch + k / steps) / epochs);
    let s: GlobalSamples;
    if (parallel) {
      const count = Math.min(batchSize, indices.length - k * batchSize);
      s = await parallelStep(step, parallel, stop, eager, batch, count, loader.batchSize, lr, costs);
    } else {
      t = performance.now();
      const result = runner!.run(tensors!, lr);
      costs.train += (performance.now() - t) / 1000;
      s = { ids: batch!.ids, labels: batch!.labels, losses: result.losses, hits: result.hits };
    }
    const sums = sumStep(s, { epoch, step: k, lr });

    t = performance.now();
    state.pruner.observe(s.ids, s.losses);
    costs.score += (performance.now() - t) / 1000;
    // The caller's hook is in no cost bucket (its own work, e.g. score trackers, is not the method's cost).
    hooks?.onStep?.({ epoch, ids: s.ids, labels: s.labels, losses: s.losses, correct: s.hits });
    lossSum += sums.loss;
    correctSum += sums.hits;
    seen += s.ids.length;
    const progress = { epoch, step: k + 1, steps, loss: lossSum / seen, accuracy: correctSum / seen, samples: seen };
    hooks?.onBatch?.(stop.stopping ? { ...progress, stopping: stop.stopping } : progress);
    // The batch loop is otherwise synchronous for a whole epoch: yield once per batch so signal handlers
    // (Ctrl-C), timers and I/O callbacks run between batches, not only at the epoch's end (~µs per batch).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Batch-norm moving statistics were updated by each worker from its own batches: their mean, everywhere.
  if (parallel) await averageNonTrainable(model.nonTrainableWeights, parallel);
  const evalEvery = options.evalEvery ?? 1;
  const testResult =
    test && ((epoch + 1) % evalEvery === 0 || epoch === epochs - 1)
      ? await evaluateEpoch(step.model, data, test, options, hooks, epoch, parallel)
      : undefined;
  if (testResult) costs.eval += testResult.seconds;
  // A stop asked for since the epoch's last step (during evaluation, say): agreed here, before the checkpoint.
  if (parallel) await stop.atEpochEnd(parallel);
  return {
    epoch,
    selectionHash: selectionHash(indices, weights),
    samples: indices.length,
    steps,
    lr,
    trainLoss: lossSum / Math.max(seen, 1),
    trainAccuracy: correctSum / Math.max(seen, 1),
    ...(testResult ? { test: testResult } : {}),
    costs,
    trainingSeconds: costs.train + costs.data + costs.select + costs.score,
  };
}

/**
 * One data-parallel step: this worker's gradients (zeros when its shard has run out), the step's samples
 * all-gathered with every worker's stop flag (costs.score: what the pruner needs) and the gradients summed
 * (costs.train), then the update.
 */
async function parallelStep(
  step: StepModel,
  parallel: DataParallel,
  stop: StopAgreement,
  tensors: EagerBatchTensors | undefined,
  batch: { ids: Uint32Array; labels: Int32Array } | undefined,
  count: number,
  perWorker: number,
  lr: number,
  costs: Costs,
): Promise<GlobalSamples> {
  let t = performance.now();
  const local = tensors ? gradientStep(step, tensors, count) : undefined;
  const gradients = local?.gradients ?? new Float32Array(step.vars.reduce((n, v) => n + v.size, 0));
  const mine =
    local && batch ? { ids: batch.ids, labels: batch.labels, losses: local.losses, hits: local.hits } : undefined;
  costs.train += (performance.now() - t) / 1000;
  t = performance.now();
  const gathered = await parallel.allGather(packSamples(mine, perWorker, stop.flag()));
  const block = sampleBlock(perWorker);
  stop.observe(gathered, block.size, block.flagAt, parallel.worldSize);
  costs.score += (performance.now() - t) / 1000;
  t = performance.now();
  applyGradientSum(step, await parallel.allReduce(gradients), lr);
  costs.train += (performance.now() - t) / 1000;
  return unpackSamples(gathered, perWorker, parallel.worldSize, count);
}

/** The epoch's evaluation on the test split (normalised with the training set's statistics). */
function evaluateEpoch(
  model: LayersModel,
  data: ImageDataset,
  test: ImageDataset,
  options: TrainOptions,
  hooks: TrainHooks | undefined,
  epoch: number,
  parallel: DataParallel | undefined,
): Promise<EvalResult> {
  const evalOptions = {
    inference: options.inference ?? 'auto',
    ...(hooks?.onWarning ? { onWarning: hooks.onWarning } : {}),
    ...(hooks?.onEvalBatch
      ? { onBatch: (done: number, total: number) => hooks.onEvalBatch!({ epoch, done, total }) }
      : {}),
    converter: new InputConverter({ ...test, mean: data.mean, std: data.std }),
  };
  return parallel ? evaluateSharded(model, test, evalOptions, parallel) : evaluate(model, test, evalOptions);
}

/** The run's totals: every cost bucket, the training seconds and the samples trained, summed over the epochs. */
function totalsOf(reports: EpochReport[]): TrainResult['totals'] {
  const totals = { train: 0, data: 0, select: 0, score: 0, eval: 0, trainingSeconds: 0, samples: 0 };
  for (const r of reports) {
    for (const k of ['train', 'data', 'select', 'score', 'eval'] as const) totals[k] += r.costs[k];
    totals.trainingSeconds += r.trainingSeconds;
    totals.samples += r.samples;
  }
  return totals;
}

let oneDnnChecked = false;
/**
 * Once per process, on the native backend: say so when TensorFlow's oneDNN optimisations are off, or on for an
 * untested model on a host where they may crash (cpu.ts).
 */
function warnIfOneDnnOff(model: LayersModel, onWarning: (message: string) => void): void {
  if (oneDnnChecked || tf.getBackend() !== 'tensorflow') return;
  oneDnnChecked = true;
  const cpu = describeCpu();
  const advice = oneDnnAdvice(cpu, oneDnnState(cpu), oneDnnModel(model));
  if (advice) onWarning(advice);
}
