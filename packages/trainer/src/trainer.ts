import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { batchCount, createBatchLoader, type AugmentSpec, type ImageDataset } from '@dp/data';
import { MAX_LOSS, PrunerError, type Pruner, type PrunerConfig, type PrunerState } from '@dp/policies';
import { readCheckpoint, removeStaleCheckpoint, writeCheckpoint, type CheckpointData, type NamedArray } from './checkpoint.js';
import { TrainError } from './errors.js';
import { describeCpu, oneDnnAdvice, oneDnnState } from './cpu.js';
import { SelectionStats, selectionHash } from './selection-stats.js';
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
  /** During an epoch's test evaluation, after each batch (throwing stops training there, like from onBatch). */
  onEvalBatch?(p: { epoch: number; done: number; total: number }): void;
  onEpoch?(r: EpochReport): void;
  /** A problem that does not stop training (e.g. evaluation fell back to the reference path); default console.warn. */
  onWarning?(message: string): void;
}

export interface TrainResult {
  epochs: EpochReport[];
  /** Per-sample selection counts and membership flips over the run. */
  selection: SelectionStats;
  final?: EvalResult;
  totals: Costs & { trainingSeconds: number; samples: number };
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
}

function checkOptions(o: TrainOptions): void {
  const bad = (field: string, value: unknown, allowed: string) => new TrainError(`${field} = ${String(value)} is invalid: expected ${allowed}`, `pass ${field} as ${allowed}`, { field, value, allowed });
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
}

/**
 * Train `model` with mini-batch SGD on the samples `pruner` selects each epoch. The per-sample losses of the
 * training forward pass go to `pruner.observe` (no extra forward pass); selection weights scale each sample's
 * loss: the batch objective is sum_i(w_i * loss_i) / n, n the samples in the batch (the mean; the last batch
 * of an epoch may be smaller than batchSize).
 */
export async function train({ model, train: data, test, pruner: initialPruner, options, hooks, checkpoint, augment = 'none', seed = 0, prefetch = 2 }: TrainArgs): Promise<TrainResult> {
  let pruner = initialPruner;
  checkOptions(options);
  if (checkpoint && (!Number.isInteger(checkpoint.every) || checkpoint.every < 1)) {
    throw new TrainError(`checkpoint.every = ${String(checkpoint.every)} is invalid: expected an integer >= 1`, `pass checkpoint.every as an integer >= 1`);
  }
  if (pruner.config.datasetSize !== data.size) {
    throw new TrainError(`pruner.datasetSize = ${pruner.config.datasetSize} does not match the training set (${data.size} samples)`, `create the pruner with datasetSize = ${data.size}`);
  }
  if (pruner.config.totalEpochs !== options.epochs) {
    throw new TrainError(`pruner.totalEpochs = ${pruner.config.totalEpochs} does not match epochs = ${options.epochs}`, `create the pruner with totalEpochs = ${options.epochs}`);
  }
  const { epochs, batchSize } = options;
  const optimizer = tf.train.momentum(options.schedule.lr, options.momentum ?? 0.9, options.nesterov ?? false);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read());
  const wd = options.weightDecay ?? 0;
  const smoothing = options.labelSmoothing ?? 0;
  const evalEvery = options.evalEvery ?? 1;
  const inference = options.inference ?? 'auto';
  resolveInference(inference); // validate now, not at the first evaluation
  let reports: EpochReport[] = [];
  let selection = new SelectionStats(data.size);
  let startEpoch = 0;

  if (checkpoint?.resume) {
    const saved = readCheckpoint(checkpoint.dir);
    if (saved) {
      // Everything is checked (and the restored pruner built) before the model is touched.
      pruner = checkResume({ model, pruner, epochs, dir: checkpoint.dir, fingerprint: checkpoint.fingerprint }, saved);
      restoreWeights(model, saved.weights);
      const restored = [
        { name: 'iter', tensor: tf.scalar(saved.optimizer.iterations, 'int32') },
        ...saved.optimizer.slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })),
      ];
      await optimizer.setWeights(restored); // the optimizer makes its own variables from these
      tf.dispose(restored.map((r) => r.tensor));
      const extra = saved.extra as { reports: EpochReport[]; selection: ReturnType<SelectionStats['state']>; caller?: unknown };
      reports = extra.reports;
      selection = SelectionStats.load(data.size, extra.selection);
      checkpoint.restore?.(extra.caller ?? null);
      startEpoch = saved.epoch + 1;
      removeStaleCheckpoint(checkpoint.dir);
    }
  }

  const save = async (epoch: number) => {
    const values = model.getWeights();
    const weights: NamedArray[] = model.weights.map((w, i) => ({ name: w.originalName, shape: w.shape as number[], values: values[i]!.dataSync() as Float32Array }));
    const opt = await optimizer.getWeights();
    const iterations = (await opt[0]!.tensor.data())[0]!;
    const slots: NamedArray[] = opt.slice(1).map((s) => ({ name: s.name, shape: s.tensor.shape, values: s.tensor.dataSync() as Float32Array }));
    tf.dispose(opt[0]!.tensor);
    const data: CheckpointData = {
      epoch,
      fingerprint: checkpoint!.fingerprint,
      weights,
      optimizer: { iterations, slots },
      pruner: pruner.state(),
      extra: { reports, selection: selection.state(), caller: checkpoint!.extra?.() ?? null },
    };
    writeCheckpoint(checkpoint!.dir, data);
  };

  warnIfOneDnnOff(hooks?.onWarning ?? console.warn);
  // Batches are gathered, augmented and normalised in a worker thread, ahead of the training step.
  const loader = await createBatchLoader(data, { batchSize, augment, seed, prefetch });
  try {
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const costs: Costs = { train: 0, data: 0, select: 0, score: 0, eval: 0 };
      let t = performance.now();
      const { indices, weights } = pruner.select(epoch);
      selection.record(indices);
      costs.select += (performance.now() - t) / 1000;
      const steps = batchCount(indices.length, batchSize);
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let lr = 0;
      let step = 0;
      const iter = loader.epoch(indices, weights, epoch)[Symbol.iterator]();
      for (;;) {
        t = performance.now();
        const next = iter.next();
        if (next.done) break;
        const batch = next.value;
        const n = batch.ids.length;
        const x = tf.tensor4d(batch.x, batch.shape, 'float32');
        const labels = tf.tensor1d(batch.labels, 'int32');
        const y = tf.oneHot(labels, data.numClasses);
        const w = tf.tensor1d(batch.weights, 'float32');
        costs.data += (performance.now() - t) / 1000;

        t = performance.now();
        // Progress is measured in epochs (fraction of an epoch done), so schedules do not depend on step counts.
        lr = learningRate(options.schedule, (epoch + step / steps) / epochs);
        optimizer.setLearningRate(lr);
        let perSample: tf.Tensor1D | undefined;
        let hits: tf.Tensor1D | undefined;
        const cost = optimizer.minimize(
          () => {
            const logits = model.apply(x, { training: true }) as tf.Tensor2D;
            const losses = tf.losses.softmaxCrossEntropy(y, logits, undefined, smoothing, tf.Reduction.NONE) as tf.Tensor1D;
            perSample = tf.keep(losses);
            hits = tf.keep(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32') as tf.Tensor1D);
            let objective = tf.div(tf.sum(tf.mul(losses, w)), n) as tf.Scalar;
            if (wd > 0) objective = tf.add(objective, tf.mul(0.5 * wd, tf.addN(decayed.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
            return objective;
          },
          true,
          vars,
        );
        const lossValues = perSample!.dataSync() as Float32Array;
        const hitValues = hits!.dataSync() as Float32Array;
        tf.dispose([x, labels, y, w, perSample!, hits!, cost!]);
        costs.train += (performance.now() - t) / 1000;

        let batchLoss = 0;
        let batchHits = 0;
        // A loss beyond MAX_LOSS (the pruner's bound, 1e15) is divergence as surely as NaN or Infinity is.
        let diverged: number | undefined;
        for (let i = 0; i < n; i++) {
          const v = lossValues[i]!;
          if (!(v <= MAX_LOSS && v >= -MAX_LOSS)) diverged ??= v;
          batchLoss += v;
          batchHits += hitValues[i]!;
        }
        if (diverged !== undefined) {
          throw new TrainError(
            `training loss became ${diverged} at epoch ${epoch + 1}, step ${step + 1} (lr ${lr.toPrecision(3)}): the run has diverged`, `lower the learning rate (--lr), or check the data`,
          );
        }
        t = performance.now();
        pruner.observe(batch.ids, lossValues);
        costs.score += (performance.now() - t) / 1000;
        // The caller's hook is in no cost bucket (its own work, e.g. score trackers, is not the method's cost).
        hooks?.onStep?.({ epoch, ids: batch.ids, labels: batch.labels, losses: lossValues, correct: hitValues });
        lossSum += batchLoss;
        correctSum += batchHits;
        seen += n;
        step++;
        hooks?.onBatch?.({ epoch, step, steps, loss: lossSum / seen, accuracy: correctSum / seen, samples: seen });
        // The batch loop is otherwise synchronous for a whole epoch: yield once per batch so signal handlers
        // (Ctrl-C), timers and I/O callbacks run between batches, not only at the epoch's end (~µs per batch).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      let testResult: EvalResult | undefined;
      if (test && ((epoch + 1) % evalEvery === 0 || epoch === epochs - 1)) {
        testResult = await evaluate(model, test, {
          inference,
          ...(hooks?.onWarning ? { onWarning: hooks.onWarning } : {}),
          ...(hooks?.onEvalBatch ? { onBatch: (done: number, total: number) => hooks.onEvalBatch!({ epoch, done, total }) } : {}),
          converter: new InputConverter({ ...test, mean: data.mean, std: data.std }),
        });
        costs.eval += testResult.seconds;
      }
      const report: EpochReport = {
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
      reports.push(report);
      if (checkpoint && ((epoch + 1) % checkpoint.every === 0 || epoch === epochs - 1)) await save(epoch);
      hooks?.onEpoch?.(report);
    }
  } finally {
    await loader.close();
    optimizer.dispose(); // also when training throws (divergence, a failed checkpoint write)
    // tfjs's MomentumOptimizer.dispose() skips SGDOptimizer's, which holds the learning-rate scalar `c`: one
    // tensor per train() call would leak.
    (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
  }
  const totals = { train: 0, data: 0, select: 0, score: 0, eval: 0, trainingSeconds: 0, samples: 0 };
  for (const r of reports) {
    for (const k of ['train', 'data', 'select', 'score', 'eval'] as const) totals[k] += r.costs[k];
    totals.trainingSeconds += r.trainingSeconds;
    totals.samples += r.samples;
  }
  const last = reports[reports.length - 1]?.test;
  return { epochs: reports, selection, ...(last ? { final: last } : {}), totals };
}

/** What checkResume needs to know of the run about to resume. */
export interface ResumeTarget {
  model: LayersModel;
  /** The run's pruner (fresh); the checkpoint's state must restore into its class and config. */
  pruner: Pruner;
  /** Epochs of the whole run. */
  epochs: number;
  /** The run directory (for messages). */
  dir: string;
  /** The run's config fingerprint (CheckpointOptions.fingerprint). */
  fingerprint: string;
}

/**
 * Whether the checkpoint `saved` (readCheckpoint of the run directory) can resume this run: written with the same
 * config fingerprint, an epoch within the run with one record per epoch, a pruner state the run's pruner accepts, and
 * weights of the model's architecture (count and every shape). Throws the TrainError `train` would, without touching
 * the model, the directory or anything else, so a caller can check before it changes the run directory (a refused
 * resume must change nothing there). Returns the pruner restored from the checkpoint.
 */
export function checkResume(target: ResumeTarget, saved: CheckpointData): Pruner {
  const { dir, epochs } = target;
  if (saved.fingerprint !== target.fingerprint) {
    throw new TrainError(`the checkpoint in ${dir} was written by a run with another config`, `resume with the same options, or start a new run directory`);
  }
  const savedReports = (saved.extra as { reports?: unknown } | null)?.reports;
  if (saved.epoch >= epochs || !Array.isArray(savedReports) || savedReports.length !== saved.epoch + 1) {
    throw new TrainError(
      `the checkpoint in ${dir} says epoch ${saved.epoch + 1} of ${epochs} with ${Array.isArray(savedReports) ? savedReports.length : 'no'} epoch records: it does not belong to this run`, `delete ${dir}/checkpoint to restart the run`,
    );
  }
  checkWeights(target.model, saved.weights, dir);
  // The pruner is rebuilt through the caller's own Pruner class, so a policy registered in the caller's copy of
  // @dp/policies (which may not be this package's copy when their versions differ) is found.
  try {
    const PrunerClass = target.pruner.constructor as new (config: PrunerConfig, saved?: PrunerState) => Pruner;
    return new PrunerClass({ ...target.pruner.config, ...target.pruner.options } as PrunerConfig, saved.pruner as PrunerState);
  } catch (e) {
    // The brand check recognises a PrunerError of any copy of @dp/policies (instanceof would not).
    if (!PrunerError.isInstance(e)) throw e;
    const field = e.field;
    const what = field === 'state.fingerprint' ? `the state of another pruner config (${field} differs)` : `a pruner state that does not load (${e.problem})`;
    throw new TrainError(`the checkpoint in ${dir} holds ${what}`, `resume with the same pruner options, or delete ${dir}/checkpoint to restart the run`);
  }
}

/** The checkpoint's weights have the model's architecture: as many tensors, each of the same shape (named if not). */
function checkWeights(model: LayersModel, saved: NamedArray[], dir: string): void {
  const current = model.weights;
  const fix = 'resume with the --model (and its options) the run was started with, or delete the checkpoint to restart the run';
  if (saved.length !== current.length) {
    throw new TrainError(`the checkpoint in ${dir} holds weights of another architecture: ${saved.length} tensors, the model has ${current.length}`, fix);
  }
  const i = saved.findIndex((w, j) => w.shape.join('x') !== current[j]!.shape.join('x'));
  if (i >= 0) {
    const shape = (s: readonly (number | null)[]) => `[${s.join(', ')}]`;
    throw new TrainError(
      `the checkpoint in ${dir} holds weights of another architecture: tensor ${i + 1} of ${saved.length} (${saved[i]!.name}) has shape ${shape(saved[i]!.shape)} there, ` +
        `the model's (${current[i]!.originalName}) has ${shape(current[i]!.shape)}`,
      fix,
    );
  }
}

function restoreWeights(model: LayersModel, saved: NamedArray[]): void {
  const tensors = saved.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors); // copies into the model's variables
  tf.dispose(tensors);
}

let oneDnnChecked = false;
/** Once per process, on the native backend: say so when TensorFlow's oneDNN optimisations are off (cpu.ts). */
function warnIfOneDnnOff(onWarning: (message: string) => void): void {
  if (oneDnnChecked || tf.getBackend() !== 'tensorflow') return;
  oneDnnChecked = true;
  const cpu = describeCpu();
  const advice = oneDnnAdvice(cpu, oneDnnState(cpu));
  if (advice) onWarning(advice);
}
