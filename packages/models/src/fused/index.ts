/**
 * Fused TensorFlow kernels for training speed on the native backend (@tensorflow/tfjs-node): batch norm as
 * FusedBatchNormV3 / FusedBatchNormGradV3 and ReLU with a ReluGrad gradient, as functions and as tfjs-layers
 * layers interchangeable with tf.layers.batchNormalization / tf.layers.reLU. On any other backend they throw a
 * ModelError; the reference layers are the fallback, chosen by the caller.
 */
export { fusedBatchNormInfer, fusedBatchNormTrain } from './batch-norm.js';
export type { FusedBatchNormTrainResult } from './batch-norm.js';
export { FusedBatchNormalization, fusedBatchNormalization } from './fused-batch-norm-layer.js';
export type { FusedBatchNormalizationArgs } from './fused-batch-norm-layer.js';
export { FusedReLU, fusedReLU } from './fused-relu-layer.js';
export type { FusedReLUArgs } from './fused-relu-layer.js';
export { fusedRelu } from './relu.js';
export { nativeBackend } from './native.js';
