/**
 * Batch normalisation over the last (channel) axis with TensorFlow's fused kernels, each a single pass (or two)
 * over the activations instead of the ~20 small element-wise ops tfjs builds batch norm and its gradient from:
 *
 * - training: `FusedBatchNormV3` (is_training = true) forward, `FusedBatchNormGradV3` backward (paired with
 *   `tf.customGrad`; the kernel's reserve-space outputs carry the batch statistics to the gradient);
 * - inference: `FusedBatchNormV3` (is_training = false) with given statistics, `FusedBatchNormGradV3`
 *   (is_training = false) backward, so gradients through an inference-mode batch norm stay correct.
 *
 * Numerics follow tfjs-layers' BatchNormalization: the returned batch variance is the biased one (sum of squares
 * / n, as `tf.moments`), the kernel's own output being the unbiased one (/ (n - 1)). Requires the native
 * `tensorflow` backend (see native.ts). Inputs of rank 2-4, channels last, float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import { attrs, nativeBackend, requireFloat32 } from './native.js';

export interface FusedBatchNormTrainResult {
  /** The normalised, scaled and shifted output (shape of x). */
  y: tf.Tensor;
  /** Batch mean per channel. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel (divided by n, as tf.moments and tfjs-layers use). */
  variance: tf.Tensor1D;
}

/** [N, ..., C] -> [N, H, W, C] (a free reshape), or a ModelError for ranks outside 2-4. */
function as4d(x: tf.Tensor, op: string): tf.Tensor4D {
  const s = x.shape;
  if (s.length === 4) return x as tf.Tensor4D;
  if (s.length === 3) return tf.reshape(x, [s[0]!, 1, s[1]!, s[2]!]);
  if (s.length === 2) return tf.reshape(x, [s[0]!, 1, 1, s[1]!]);
  throw new ModelError(
    `${op}: x.rank = ${s.length} is invalid: expected 2, 3 or 4 (channels last)`,
    'pass x of rank 2, 3 or 4, channels last',
  );
}

function checkChannels(op: string, x: tf.Tensor, params: Record<string, tf.Tensor>): void {
  const c = x.shape[x.rank - 1]!;
  for (const [field, p] of Object.entries(params)) {
    if (p.rank !== 1 || p.shape[0] !== c) {
      throw new ModelError(
        `${op}: ${field}.shape = [${p.shape.join(', ')}] is invalid: expected [${c}] (the channels of x)`,
        `pass ${field} with one value per channel of x (${c})`,
      );
    }
  }
}

function checkEpsilon(op: string, epsilon: number): void {
  if (!(Number.isFinite(epsilon) && epsilon > 0))
    throw new ModelError(
      `${op}: epsilon = ${epsilon} is invalid: expected a finite number > 0`,
      'pass a finite epsilon > 0 (e.g. 1e-3)',
    );
}

/**
 * Training-mode batch norm: y = gamma * (x - mean_B) / sqrt(var_B + epsilon) + beta with the batch statistics,
 * differentiable w.r.t. x, gamma and beta. `mean` and `variance` are kept tensors (tf.keep: an enclosing
 * tf.tidy does not free them): the caller disposes them.
 */
export function fusedBatchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): FusedBatchNormTrainResult {
  const op = 'fusedBatchNormTrain';
  const backend = nativeBackend();
  requireFloat32(op, { x, gamma, beta });
  checkChannels(op, x, { gamma, beta });
  checkEpsilon(op, epsilon);
  const a = attrs(backend);
  const common = [
    a.float32Type('T'),
    a.float32Type('U'),
    a.float('epsilon', epsilon),
    a.string('data_format', 'NHWC'),
    a.bool('is_training', true),
  ];
  const forwardAttrs = [...common, a.float('exponential_avg_factor', 1)];
  const x4 = as4d(x, op);
  const n = x4.shape[0] * x4.shape[1] * x4.shape[2];
  // The kernel reports the unbiased variance (x n/(n-1), or x1 when n = 1); tfjs-layers averages the biased one.
  const toBiased = n > 1 ? (n - 1) / n : 1;
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const bn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const empty = tf.tensor1d([], 'float32');
    const [y, batchMean, batchVar, reserve1, reserve2, reserve3] = backend.executeMultipleOutputs(
      'FusedBatchNormV3',
      forwardAttrs,
      [xs, g, b, empty, empty],
      6,
    );
    save([xs, g, reserve1!, reserve2!, reserve3!]);
    mean = tf.keep(batchMean as tf.Tensor1D);
    variance = tf.keep(tf.mul(batchVar!, toBiased) as tf.Tensor1D);
    return {
      value: y!,
      gradFunc: fusedGrad(backend, common),
    };
  });
  const y4 = bn(x4, gamma, beta);
  const y = x.rank === 4 ? y4 : tf.reshape(y4, x.shape);
  if (y !== y4) y4.dispose();
  if (x4 !== x) x4.dispose();
  return { y, mean: mean!, variance: variance! };
}

/** The gradient of FusedBatchNormV3 w.r.t. x, gamma and beta: one FusedBatchNormGradV3 over the saved tensors. */
function fusedGrad(
  backend: ReturnType<typeof nativeBackend>,
  common: Parameters<ReturnType<typeof nativeBackend>['executeMultipleOutputs']>[1],
) {
  return (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
    const [dx, dGamma, dBeta, r4, r5] = backend.executeMultipleOutputs(
      'FusedBatchNormGradV3',
      common,
      [dy as tf.Tensor, ...saved],
      5,
    );
    r4!.dispose();
    r5!.dispose();
    return [dx!, dGamma!, dBeta!];
  };
}

/**
 * Inference-mode batch norm with given statistics: y = gamma * (x - mean) / sqrt(variance + epsilon) + beta,
 * differentiable w.r.t. x, gamma and beta (mean and variance are treated as constants, as in tfjs-layers).
 */
export function fusedBatchNormInfer(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  epsilon: number,
): tf.Tensor {
  const op = 'fusedBatchNormInfer';
  const backend = nativeBackend();
  requireFloat32(op, { x, gamma, beta, mean, variance });
  checkChannels(op, x, { gamma, beta, mean, variance });
  checkEpsilon(op, epsilon);
  const a = attrs(backend);
  const common = [
    a.float32Type('T'),
    a.float32Type('U'),
    a.float('epsilon', epsilon),
    a.string('data_format', 'NHWC'),
    a.bool('is_training', false),
  ];
  const forwardAttrs = [...common, a.float('exponential_avg_factor', 1)];
  const x4 = as4d(x, op);
  const bn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const outs = backend.executeMultipleOutputs('FusedBatchNormV3', forwardAttrs, [xs, g, b, mean, variance], 6);
    for (let i = 1; i < outs.length; i++) outs[i]!.dispose();
    // In inference mode the gradient kernel takes the population statistics as its reserve spaces.
    save([xs, g, mean, variance, tf.tensor1d([], 'float32')]);
    return {
      value: outs[0]!,
      gradFunc: fusedGrad(backend, common),
    };
  });
  const y4 = bn(x4, gamma, beta);
  const y = x.rank === 4 ? y4 : tf.reshape(y4, x.shape);
  if (y !== y4) y4.dispose();
  if (x4 !== x) x4.dispose();
  return y;
}
