import type * as tf from '@tensorflow/tfjs-core';
import { ScoreError } from '../errors.js';
import type { ScoreBatch } from '../types.js';
import { featureSqNorms } from './last-layer.js';

export interface TensorBatch {
  ids: Uint32Array;
  /** [n, numClasses] logits of the training forward pass. */
  logits?: tf.Tensor;
  labels?: tf.Tensor | Int32Array;
  /** [n] per-sample losses. */
  losses?: tf.Tensor;
  /** [n, d] input of the final dense layer (see withPenultimate). */
  features?: tf.Tensor;
  batchLoss?: number;
  epoch?: number;
}

/**
 * Read the tensors a training step already computed into a ScoreBatch (one download per tensor; the tensors
 * are not disposed). Validation of values happens in `tracker.update`.
 */
export function scoreBatchFromTensors(t: TensorBatch): ScoreBatch {
  const out: ScoreBatch = { ids: t.ids };
  if (t.logits) {
    if (t.logits.rank !== 2)
      throw new ScoreError(
        `logits has shape [${t.logits.shape.join(', ')}], expected [n, numClasses]`,
        'pass the [batch, classes] logits tensor',
        'logits',
      );
    out.logits = t.logits.dataSync() as Float32Array;
    out.numClasses = t.logits.shape[1]!;
  }
  if (t.labels) out.labels = t.labels instanceof Int32Array ? t.labels : Int32Array.from(t.labels.dataSync());
  if (t.losses) out.losses = t.losses.dataSync() as Float32Array;
  if (t.features) out.featureSqNorms = featureSqNorms(t.features);
  if (t.batchLoss !== undefined) out.batchLoss = t.batchLoss;
  if (t.epoch !== undefined) out.epoch = t.epoch;
  return out;
}
