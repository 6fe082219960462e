export { buildModel, modelEntries, modelNames, registerModel } from './registry.js';
export { cnnSmall } from './cnn-small.js';
export { ModelError } from './errors.js';
export type { ModelEntry, ModelOptions } from './types.js';
