import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PrunerError, type Pruner, type PrunerConfig, type PrunerState } from '@dp/policies';
import {
  readCheckpoint,
  removeStaleCheckpoint,
  writeCheckpoint,
  type CheckpointData,
  type NamedArray,
} from './checkpoint.js';
import { SelectionStats } from './selection-stats.js';
import { TrainError } from './errors.js';
import type { CheckpointOptions, EpochReport } from './trainer.js';

/** What a run carries from epoch to epoch, and what a checkpoint saves and restores of it (besides the weights). */
export interface RunState {
  pruner: Pruner;
  reports: EpochReport[];
  selection: SelectionStats;
  /** The first epoch still to train. */
  startEpoch: number;
}

/** What `extra` of a checkpoint written by train() holds. */
interface SavedExtra {
  reports: EpochReport[];
  selection: ReturnType<SelectionStats['state']>;
  caller?: unknown;
  /** Workers of the run that wrote it (absent before data-parallel training: 1). */
  worldSize?: number;
}

/**
 * The state to start from: fresh, or restored from the checkpoint in `checkpoint.dir` when resuming and there is one.
 * Everything is checked (and the restored pruner built) before the model and the optimizer are touched.
 */
export async function restoreRun(
  model: LayersModel,
  optimizer: tf.MomentumOptimizer,
  fresh: RunState,
  epochs: number,
  checkpoint: CheckpointOptions | undefined,
  worldSize = 1,
  /** Whether this process writes the run directory (data-parallel: rank 0 only). */
  leader = true,
): Promise<RunState> {
  if (!checkpoint?.resume) return fresh;
  const saved = readCheckpoint(checkpoint.dir);
  if (!saved) return fresh;
  const pruner = checkResume(
    { model, pruner: fresh.pruner, epochs, dir: checkpoint.dir, fingerprint: checkpoint.fingerprint, worldSize },
    saved,
  );
  restoreWeights(model, saved.weights);
  const restored = [
    { name: 'iter', tensor: tf.scalar(saved.optimizer.iterations, 'int32') },
    ...saved.optimizer.slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })),
  ];
  await optimizer.setWeights(restored); // the optimizer makes its own variables from these
  tf.dispose(restored.map((r) => r.tensor));
  const extra = saved.extra as SavedExtra;
  const state = {
    pruner,
    reports: extra.reports,
    selection: SelectionStats.load(fresh.selection.size, extra.selection),
    startEpoch: saved.epoch + 1,
  };
  checkpoint.restore?.(extra.caller ?? null);
  if (leader) removeStaleCheckpoint(checkpoint.dir);
  return state;
}

/** Write the checkpoint of the run after `epoch`: weights, optimizer slots, the pruner's state and the run's records. */
export async function saveRun(
  model: LayersModel,
  optimizer: tf.MomentumOptimizer,
  state: RunState,
  epoch: number,
  checkpoint: CheckpointOptions,
  worldSize = 1,
): Promise<void> {
  const values = model.getWeights();
  const weights: NamedArray[] = model.weights.map((w, i) => ({
    name: w.originalName,
    shape: w.shape as number[],
    values: values[i]!.dataSync() as Float32Array,
  }));
  const opt = await optimizer.getWeights();
  const iterations = (await opt[0]!.tensor.data())[0]!;
  const slots: NamedArray[] = opt
    .slice(1)
    .map((s) => ({ name: s.name, shape: s.tensor.shape, values: s.tensor.dataSync() as Float32Array }));
  tf.dispose(opt[0]!.tensor);
  const extra: SavedExtra = {
    reports: state.reports,
    selection: state.selection.state(),
    caller: checkpoint.extra?.() ?? null,
    ...(worldSize > 1 ? { worldSize } : {}),
  };
  const data: CheckpointData = {
    epoch,
    fingerprint: checkpoint.fingerprint,
    weights,
    optimizer: { iterations, slots },
    pruner: state.pruner.state(),
    extra,
  };
  writeCheckpoint(checkpoint.dir, data);
}

function restoreWeights(model: LayersModel, saved: NamedArray[]): void {
  const tensors = saved.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors); // copies into the model's variables
  tf.dispose(tensors);
}

/**
 * Whether the checkpoint `saved` belongs to the run: written with the same config fingerprint, at an epoch within the
 * run, with one record per epoch done. Needs no model, pruner or TensorFlow, so a command can check it before it
 * prints or loads anything (checkResume checks it again with the rest).
 */
export function checkCheckpointFits(
  target: Pick<ResumeTarget, 'dir' | 'epochs' | 'fingerprint'>,
  saved: CheckpointData,
): void {
  const { dir, epochs } = target;
  if (saved.fingerprint !== target.fingerprint) {
    throw new TrainError(
      `the checkpoint in ${dir} was written by a run with another config`,
      `resume with the same options, or start a new run directory`,
    );
  }
  const savedReports = (saved.extra as { reports?: unknown } | null)?.reports;
  if (saved.epoch >= epochs || !Array.isArray(savedReports) || savedReports.length !== saved.epoch + 1) {
    throw new TrainError(
      `the checkpoint in ${dir} says epoch ${saved.epoch + 1} of ${epochs} with ${Array.isArray(savedReports) ? savedReports.length : 'no'} epoch records: it does not belong to this run`,
      `delete ${dir}/checkpoint to restart the run`,
    );
  }
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
  /** Data-parallel workers of the run about to resume (default 1): the checkpoint's must be the same. */
  worldSize?: number;
}

/**
 * Whether the checkpoint `saved` (readCheckpoint of the run directory) can resume this run: written with the same
 * config fingerprint, an epoch within the run with one record per epoch, a pruner state the run's pruner accepts, and
 * weights of the model's architecture (count and every shape). Throws the TrainError `train` would, without touching
 * the model, the directory or anything else, so a caller can check before it changes the run directory (a refused
 * resume must change nothing there). Returns the pruner restored from the checkpoint.
 */
export function checkResume(target: ResumeTarget, saved: CheckpointData): Pruner {
  const { dir } = target;
  checkCheckpointFits(target, saved);
  const savedWorkers = (saved.extra as { worldSize?: unknown } | null)?.worldSize ?? 1;
  const workers = target.worldSize ?? 1;
  if (savedWorkers !== workers) {
    const launch = (n: unknown) =>
      n === 1
        ? '`dp train --resume` in one process'
        : `\`dp launch --workers ${String(n)} -- dp train --resume ...\` (or a TF_CONFIG listing ${String(n)} workers)`;
    throw new TrainError(
      `the checkpoint in ${dir} was written by a run of ${String(savedWorkers)} worker${savedWorkers === 1 ? '' : 's'}; this run has ${workers} worker${workers === 1 ? '' : 's'}: a run resumes with the world size it started with`,
      `resume with ${launch(savedWorkers)}, or start a new run directory`,
      { field: 'worldSize', value: workers, allowed: String(savedWorkers) },
    );
  }
  checkWeights(target.model, saved.weights, dir);
  // The pruner is rebuilt through the caller's own Pruner class, so a policy registered in the caller's copy of
  // @dp/policies (which may not be this package's copy when their versions differ) is found.
  try {
    const PrunerClass = target.pruner.constructor as new (config: PrunerConfig, saved?: PrunerState) => Pruner;
    return new PrunerClass(
      { ...target.pruner.config, ...target.pruner.options } as PrunerConfig,
      saved.pruner as PrunerState,
    );
  } catch (e) {
    // The brand check recognises a PrunerError of any copy of @dp/policies (instanceof would not).
    if (!PrunerError.isInstance(e)) throw e;
    const field = e.field;
    const what =
      field === 'state.fingerprint'
        ? `the state of another pruner config (${field} differs)`
        : `a pruner state that does not load (${e.problem})`;
    throw new TrainError(
      `the checkpoint in ${dir} holds ${what}`,
      `resume with the same pruner options, or delete ${dir}/checkpoint to restart the run`,
    );
  }
}

/** The checkpoint's weights have the model's architecture: as many tensors, each of the same shape (named if not). */
function checkWeights(model: LayersModel, saved: NamedArray[], dir: string): void {
  const current = model.weights;
  const fix =
    'resume with the --model (and its options) the run was started with, or delete the checkpoint to restart the run';
  if (saved.length !== current.length) {
    throw new TrainError(
      `the checkpoint in ${dir} holds weights of another architecture: ${saved.length} tensors, the model has ${current.length}`,
      fix,
    );
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
