export { compileInference, type CompiledInference } from './inference.js';
export { inferenceGraph, type InferenceGraph } from './from-layers.js';
