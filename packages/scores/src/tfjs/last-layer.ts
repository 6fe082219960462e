import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ScoreError } from '../errors.js';
import { keepingNonTrainableWeights } from './keep-state.js';

const cache = new WeakMap<tfl.LayersModel, tfl.LayersModel>();

/**
 * A model sharing `model`'s weights whose outputs are [h, logits]: h is the input of the final dense layer
 * z = W h + b. Use it in a training step (apply it instead of `model`) to get what `grand-last-layer` needs without
 * an extra forward pass. The final layer must be Dense with a bias and a linear activation (logits).
 */
export function withPenultimate(model: tfl.LayersModel): tfl.LayersModel {
  const hit = cache.get(model);
  if (hit) return hit;
  const last = model.layers[model.layers.length - 1];
  if (!last || last.getClassName() !== 'Dense') {
    throw new ScoreError(
      `the model's last layer is ${last ? last.getClassName() : 'missing'}, not Dense`,
      'grand-last-layer needs a final dense layer producing logits; use the exact grand score instead',
      'model',
    );
  }
  const cfg = last.getConfig() as { activation?: string; useBias?: boolean };
  if (cfg.activation !== 'linear') {
    throw new ScoreError(
      `the model's last dense layer has activation '${String(cfg.activation)}', not 'linear'`,
      'make the model output logits (softmax belongs to the loss)',
      'model',
    );
  }
  if (cfg.useBias === false) {
    throw new ScoreError(
      "the model's last dense layer has no bias: the closed form ‖p − y‖²(‖h‖² + 1) assumes one",
      'add a bias to the final layer, or use the exact grand score',
      'model',
    );
  }
  const h = last.input;
  if (Array.isArray(h))
    throw new ScoreError(
      'the final dense layer has several inputs',
      'use a model whose final layer has one input',
      'model',
    );
  const out = tfl.model({ inputs: model.inputs, outputs: [h, model.outputs[0]!] });
  cache.set(model, out);
  return out;
}

/** ‖h_i‖² per row of a [n, d] tensor, as a Float32Array. */
export function featureSqNorms(h: tf.Tensor): Float32Array {
  const sq = tf.tidy(() => tf.sum(tf.square(tf.reshape(h, [h.shape[0] ?? 0, -1])), 1));
  try {
    return sq.dataSync() as Float32Array;
  } finally {
    sq.dispose();
  }
}

export interface LastLayerInputs {
  logits: Float32Array;
  numClasses: number;
  featureSqNorms: Float32Array;
}

/**
 * One forward pass of `model` on `x` (inference mode unless `training`), returning the logits and the ‖h‖² the
 * `grand-last-layer` score needs. For static scoring (e.g. GraNd at initialisation); during training, apply
 * `withPenultimate(model)` in the training step instead. The model is not changed: in training mode the batch-norm
 * moving statistics the pass updates are restored afterwards.
 */
export function lastLayerInputs(
  model: tfl.LayersModel,
  x: tf.Tensor,
  options: { training?: boolean } = {},
): LastLayerInputs {
  const two = withPenultimate(model);
  const [h, z] = keepingNonTrainableWeights(
    model,
    () => two.apply(x, { training: options.training ?? false }) as tf.Tensor[],
  );
  try {
    const numClasses = z!.shape[1]!;
    return { logits: z!.dataSync() as Float32Array, numClasses, featureSqNorms: featureSqNorms(h!) };
  } finally {
    tf.dispose([h!, z!]);
  }
}
