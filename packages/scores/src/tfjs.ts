// `@dp/scores/tfjs`: the TensorFlow.js edge (per-sample gradients, last-layer features, tensor adapters).
// Needs @tensorflow/tfjs-core and @tensorflow/tfjs-layers (peer dependencies) and a registered backend.
export { outputClasses, perSampleGradNorms } from './tfjs/grad-norms.js';
export type { GradNormOptions } from './tfjs/grad-norms.js';
export { featureSqNorms, lastLayerInputs, withPenultimate } from './tfjs/last-layer.js';
export type { LastLayerInputs } from './tfjs/last-layer.js';
export { scoreBatchFromTensors } from './tfjs/adapters.js';
export type { TensorBatch } from './tfjs/adapters.js';
