import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { MAX_LOSS } from '@dp/policies';
import { packTensors, unpackTensors } from './data-parallel.js';
import { TrainError } from './errors.js';

/** What one SGD step needs besides the batch: the model, its optimizer and the objective's settings. */
export interface StepModel {
  model: LayersModel;
  optimizer: tf.MomentumOptimizer;
  /** The model's trainable variables (what the optimizer updates). */
  vars: tf.Variable[];
  /** The kernels under weight decay (conv/dense). */
  decayed: tf.Tensor[];
  /** Coupled L2 weight decay. */
  weightDecay: number;
  labelSmoothing: number;
}

/** One batch as the loader prepares it. */
export interface StepBatch {
  x: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
  weights: Float32Array;
}

/** A batch's tensors: inputs, integer labels and selection weights (the step disposes them). */
export interface BatchTensors {
  x: tf.Tensor4D;
  labels: tf.Tensor1D;
  w: tf.Tensor1D;
}

/** A batch's tensors with the one-hot targets the eager steps' tfjs loss takes (the compiled step does without). */
export interface EagerBatchTensors extends BatchTensors {
  y: tf.Tensor2D;
}

/**
 * The tensors of `batch` (the data side of a step: its cost is data preparation, not training); with `numClasses`,
 * also its one-hot targets, which only the eager steps (sgdStep, gradientStep) use.
 */
export function batchTensors(batch: StepBatch): BatchTensors;
export function batchTensors(batch: StepBatch, numClasses: number): EagerBatchTensors;
export function batchTensors(batch: StepBatch, numClasses?: number): BatchTensors | EagerBatchTensors {
  const labels = tf.tensor1d(batch.labels, 'int32');
  const tensors: BatchTensors = {
    x: tf.tensor4d(batch.x, batch.shape, 'float32'),
    labels,
    w: tf.tensor1d(batch.weights, 'float32'),
  };
  return numClasses === undefined ? tensors : { ...tensors, y: tf.oneHot(labels, numClasses) as tf.Tensor2D };
}

/** The per-sample numbers of the training forward pass (no extra pass: what the pruner and score trackers observe). */
export interface StepResult {
  /** Per-sample unweighted training losses. */
  losses: Float32Array;
  /** 1 where the forward pass classified the sample correctly. */
  hits: Float32Array;
}

/**
 * One SGD step on a batch's tensors at learning rate `lr`: the objective is sum_i(w_i * loss_i) / n (plus the weight
 * decay term), minimised in place; returns the per-sample losses and hits of that same forward pass, and disposes the
 * batch's tensors.
 */
export function sgdStep(m: StepModel, { x, labels, y, w }: EagerBatchTensors, lr: number): StepResult {
  const n = labels.shape[0];
  m.optimizer.setLearningRate(lr);
  let perSample: tf.Tensor1D | undefined;
  let hits: tf.Tensor1D | undefined;
  const cost = m.optimizer.minimize(
    () => {
      const logits = m.model.apply(x, { training: true }) as tf.Tensor2D;
      const losses = tf.losses.softmaxCrossEntropy(
        y,
        logits,
        undefined,
        m.labelSmoothing,
        tf.Reduction.NONE,
      ) as tf.Tensor1D;
      perSample = tf.keep(losses);
      hits = tf.keep(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32') as tf.Tensor1D);
      let objective = tf.div(tf.sum(tf.mul(losses, w)), n) as tf.Scalar;
      if (m.weightDecay > 0)
        objective = tf.add(
          objective,
          tf.mul(0.5 * m.weightDecay, tf.addN(m.decayed.map((v) => tf.sum(tf.square(v))))),
        ) as tf.Scalar;
      return objective;
    },
    true,
    m.vars,
  );
  const result = { losses: perSample!.dataSync() as Float32Array, hits: hits!.dataSync() as Float32Array };
  tf.dispose([x, labels, y, w, perSample!, hits!, cost!]);
  return result;
}

/** The sums of a step's losses and hits; a TrainError if any loss is beyond MAX_LOSS, NaN or infinite (divergence). */
export function sumStep(
  { losses, hits }: StepResult,
  where: { epoch: number; step: number; lr: number },
): { loss: number; hits: number } {
  let loss = 0;
  let hit = 0;
  // A loss beyond MAX_LOSS (the pruner's bound, 1e15) is divergence as surely as NaN or Infinity is.
  let diverged: number | undefined;
  for (let i = 0; i < losses.length; i++) {
    const v = losses[i]!;
    if (!(v <= MAX_LOSS && v >= -MAX_LOSS)) diverged ??= v;
    loss += v;
    hit += hits[i]!;
  }
  if (diverged !== undefined) {
    throw new TrainError(
      `training loss became ${diverged} at epoch ${where.epoch + 1}, step ${where.step + 1} (lr ${where.lr.toPrecision(3)}): the run has diverged`,
      'lower the learning rate (--lr), or check the data',
    );
  }
  return { loss, hits: hit };
}

/**
 * A data-parallel worker's part of a step: the gradients of sum_i(w_i * loss_i) / globalCount over its batch (no
 * weight decay: added once after the all-reduce, applyGradientSum), packed in `m.vars` order, and the per-sample
 * losses and hits of that forward pass. Disposes the batch's tensors.
 */
export function gradientStep(
  m: StepModel,
  { x, labels, y, w }: EagerBatchTensors,
  globalCount: number,
): StepResult & { gradients: Float32Array } {
  let perSample: tf.Tensor1D | undefined;
  let hits: tf.Tensor1D | undefined;
  const { value, grads } = m.optimizer.computeGradients(() => {
    const logits = m.model.apply(x, { training: true }) as tf.Tensor2D;
    const losses = tf.losses.softmaxCrossEntropy(y, logits, undefined, m.labelSmoothing, tf.Reduction.NONE);
    perSample = tf.keep(losses as tf.Tensor1D);
    hits = tf.keep(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32') as tf.Tensor1D);
    return tf.div(tf.sum(tf.mul(losses, w)), globalCount) as tf.Scalar;
  }, m.vars);
  const ordered = m.vars.map((v) => grads[v.name]!);
  const gradients = packTensors(ordered);
  const result = {
    losses: perSample!.dataSync() as Float32Array,
    hits: hits!.dataSync() as Float32Array,
    gradients,
  };
  tf.dispose([x, labels, y, w, perSample!, hits!, value, ...ordered]);
  return result;
}

/** Applies the all-reduced gradient sum (plus weight decay, once) at learning rate `lr`: the update of sgdStep. */
export function applyGradientSum(m: StepModel, sum: Float32Array, lr: number): void {
  m.optimizer.setLearningRate(lr);
  const grads = unpackTensors(sum, m.vars);
  const extra: tf.Tensor[] = [];
  const named = m.vars.map((v, i) => {
    let g = grads[i]!;
    if (m.weightDecay > 0 && m.decayed.includes(v)) {
      g = tf.add(g, tf.mul(v, m.weightDecay));
      extra.push(g);
    }
    return { name: v.name, tensor: g };
  });
  m.optimizer.applyGradients(named);
  tf.dispose([...grads, ...extra]);
}
