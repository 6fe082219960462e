import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ScoreError } from '../errors.js';
import { keepingNonTrainableWeights } from './keep-state.js';
import { checkLabels } from './labels.js';

export interface GradNormOptions {
  /**
   * Run the model in training mode (batch norm on batch statistics). Default false: inference mode, so batch norm
   * uses its moving statistics and each sample's gradient is well defined on its own (batch norm over a batch of
   * one sample would be degenerate). Either way the moving statistics are left as they were.
   */
  training?: boolean;
}

/**
 * Exact GraNd inputs: for each row i of `x`, ‖∇θ ℓ(f(x_i; θ), y_i)‖₂ over all trainable weights θ of `model`,
 * where ℓ is softmax cross-entropy on the model's logits. One forward and backward pass per sample (tfjs has no
 * vectorised per-sample gradients), so its cost is about batchSize × a batch-1 training step: see the README.
 * Returns a Float32Array of length x.shape[0]; weights are not changed, trainable or not (the batch-norm moving
 * statistics a training-mode pass updates are restored afterwards).
 */
export function perSampleGradNorms(
  model: LayersModel,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  options: GradNormOptions = {},
): Float32Array {
  const n = x.shape[0] ?? 0;
  const k = outputClasses(model);
  checkLabels(labels, n, k);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0)
    throw new ScoreError(
      'the model has no trainable weights',
      'pass a model with trainable weights (GraNd is a gradient norm)',
      'model',
    );
  const training = options.training ?? false;
  const squares: tf.Scalar[] = [];
  try {
    keepingNonTrainableWeights(model, () => {
      for (let i = 0; i < n; i++) {
        const y = labels[i]!;
        squares.push(
          tf.tidy(() => {
            const xi = tf.slice(x, [i], [1]);
            const loss = () => {
              const z = tf.reshape(model.apply(xi, { training }) as tf.Tensor, [k]);
              return tf.sub(tf.logSumExp(z), tf.reshape(tf.slice(z, [y], [1]), [])) as tf.Scalar;
            };
            const { value, grads } = tf.variableGrads(loss, vars);
            value.dispose();
            return tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))) as tf.Scalar;
          }),
        );
      }
    });
    const all = n > 0 ? tf.stack(squares) : tf.zeros([0]);
    const sq = all.dataSync() as Float32Array;
    all.dispose();
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(sq[i]!);
    return out;
  } finally {
    tf.dispose(squares);
  }
}

/** Number of classes of a model whose single output is [batch, classes] logits. */
export function outputClasses(model: LayersModel): number {
  const shape = model.outputs[0]?.shape;
  const k = shape?.[shape.length - 1];
  if (model.outputs.length !== 1 || !shape || shape.length !== 2 || typeof k !== 'number' || k < 2) {
    throw new ScoreError(
      `the model's output shape ${JSON.stringify(model.outputs.map((o) => o.shape))} is not [batch, classes]`,
      'pass a classifier with one logits output of shape [batch, numClasses >= 2]',
      'model',
    );
  }
  return k;
}
