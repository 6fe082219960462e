import * as tf from '@tensorflow/tfjs-core';
import { compileTrainStep, ModelError, type CompiledTrainStep } from '@dp/models';
import { errorProblem } from '@dp/internal/error';
import { TrainError } from './errors.js';
import {
  batchTensors,
  sgdStep,
  type BatchTensors,
  type EagerBatchTensors,
  type StepBatch,
  type StepModel,
  type StepResult,
} from './step.js';

/**
 * Which implementation runs a (one-process) training step: 'compiled' = @dp/models' compileTrainStep, the whole SGD
 * step as one native TensorFlow graph (1.2-1.4x PyTorch on resnet20 with oneDNN, against 0.8-0.9x for the eager
 * step); 'eager' = sgdStep (optimizer.minimize, the reference path); 'auto' = compiled when the backend, model and
 * optimizer allow it, else eager. A performance setting: both keep their state in the same tfjs variables and
 * compute the same update up to float32 rounding.
 */
export type TrainStepKind = 'auto' | 'compiled' | 'eager';
export const TRAIN_STEP_KINDS: readonly TrainStepKind[] = ['auto', 'compiled', 'eager'];

/** The step a run actually trains with, and why it is not the compiled one when it is not. */
export interface TrainStepUsed {
  kind: 'compiled' | 'eager';
  /** Why the eager step runs under 'auto' (absent when asked for, or when the step is compiled). */
  reason?: string;
}

/** A training step ready to run: one SGD step at `lr` that disposes the batch's tensors. */
export interface TrainStepRunner {
  used: TrainStepUsed;
  /** The batch's tensors as this step takes them (one-hot targets for the eager step only). */
  tensors(batch: StepBatch): BatchTensors;
  run(tensors: BatchTensors, lr: number): StepResult;
  dispose(): void;
}

/** A TrainError for `trainStep` = value, allowed `allowed`. */
export function badTrainStep(value: unknown, problem: string, allowed: string, fix: string): TrainError {
  return new TrainError(problem, fix, { field: 'trainStep', value, allowed });
}

/** The kind, checked: a TrainError naming the allowed values otherwise. */
export function checkTrainStep(kind: unknown): TrainStepKind {
  if (!TRAIN_STEP_KINDS.includes(kind as TrainStepKind))
    throw badTrainStep(
      kind,
      `trainStep = ${JSON.stringify(kind)} is invalid: expected one of ${TRAIN_STEP_KINDS.join(', ')}`,
      TRAIN_STEP_KINDS.join(' | '),
      `pass trainStep as one of ${TRAIN_STEP_KINDS.join(', ')}`,
    );
  return kind as TrainStepKind;
}

const eagerRunner = (m: StepModel, numClasses: number, used: TrainStepUsed): TrainStepRunner => ({
  used,
  tensors: (batch) => batchTensors(batch, numClasses),
  // Its tensors come from tensors() above, so they carry the one-hot targets.
  run: (tensors, lr) => sgdStep(m, tensors as EagerBatchTensors, lr),
  dispose: () => {},
});

/**
 * The step of a one-process run, compiled once (after a resume restored the weights and the optimizer's
 * accumulators: the compiled step reads and writes those same variables). 'auto' falls back to the eager step when
 * the compile is refused (a ModelError: another backend, an unsupported layer or optimizer), with the reason;
 * 'compiled' refused is a TrainError. Data-parallel runs do not come here: they keep the eager gradient step.
 */
export async function prepareTrainStep(
  m: StepModel,
  kind: TrainStepKind,
  numClasses: number,
): Promise<TrainStepRunner> {
  if (kind === 'eager') return eagerRunner(m, numClasses, { kind: 'eager' });
  if (kind === 'auto' && tf.getBackend() !== 'tensorflow')
    return eagerRunner(m, numClasses, {
      kind: 'eager',
      reason: `the ${tf.getBackend()} backend (the compiled step needs tfjs-node)`,
    });
  let compiled: CompiledTrainStep;
  try {
    compiled = await compileTrainStep(m.model, m.optimizer, {
      vars: m.vars,
      decayed: m.decayed,
      weightDecay: m.weightDecay,
      labelSmoothing: m.labelSmoothing,
    });
  } catch (e) {
    if (!ModelError.isInstance(e)) throw e;
    if (kind === 'auto') return eagerRunner(m, numClasses, { kind: 'eager', reason: errorProblem(e) });
    throw badTrainStep(
      kind,
      `trainStep = "compiled" is not possible here: ${errorProblem(e)}`,
      "'auto' or 'eager' for this model and backend",
      "use trainStep 'auto' (compiled when possible) or 'eager' (--train-step auto | eager)",
    );
  }
  return {
    used: { kind: 'compiled' },
    tensors: (batch) => batchTensors(batch),
    run({ x, labels, w }, lr) {
      try {
        return compiled.step(x, labels, w, lr);
      } finally {
        tf.dispose([x, labels, w]);
      }
    },
    dispose: () => compiled.dispose(),
  };
}
