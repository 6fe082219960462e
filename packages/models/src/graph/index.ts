export { compileInference, type CompiledInference } from './inference.js';
export { inferenceGraph, type InferenceGraph } from './from-layers.js';
export { compileTrainStep, type CompiledTrainStep, type CompiledTrainStepOptions } from './train-step.js';
export { trainingGraph, type TrainGraph, type TrainGraphOptions, type GraphVariable } from './train-graph.js';
