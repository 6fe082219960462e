import { quietTensorFlowLogs } from './quiet-tensorflow.js';

// First: quiet TensorFlow's INFO lines before tfjs-node can load (see the function).
quietTensorFlowLogs();
export { quietTensorFlowLogs };
export { buildModel, modelEntries, modelNames, registerModel, unregisterModel } from './registry.js';
export { cnnSmall } from './cnn-small.js';
export { mlp } from './mlp.js';
export { cifarResNet, resNet } from './resnet.js';
export { CIFAR_RESNET_DEPTHS, RESNET_DEPTHS } from './resnet-entries.js';
export {
  cifarResNetPlan,
  featureSizes,
  paramCounts,
  resNetPlan,
  totalStride,
  type ParamCounts,
  type ResNetDepth,
  type ResNetPlan,
} from './plan.js';
export { batchNorm, defaultBatchNorm, reluLayer } from './layers.js';
export * from './fused/index.js';
export * from './graph/index.js';
export { PadShortcut } from './shortcut-a.js';
export { modelSummary, paramTotals, type SummaryTotals } from './summary.js';
export { loadModel, loadWeights, saveModel } from './io.js';
export { DpError, isDpError, ModelError } from './errors.js';
export type { BatchNormKind, ModelEntry, ModelOptions } from './types.js';
