/**
 * Fast inference for tfjs-node: the model is translated into a TensorFlow graph of constants (from-layers.ts),
 * written as a SavedModel into a private temporary folder, and loaded into a native TensorFlow session, where the
 * graph optimiser fuses conv + batch norm + ReLU (and more) into single kernels. `predict` then runs the whole
 * network as one session call instead of one eager op per layer.
 *
 * The session holds a snapshot of the weights taken at compile time: compile again after the weights change
 * (the trainer compiles once per evaluation). Requires the native `tensorflow` backend of @tensorflow/tfjs-node
 * (a ModelError otherwise); `model.predict` is the reference path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { DT_FLOAT } from './graph-def.js';
import { loadSession, sessionBackend } from './session.js';
import { inferenceGraph } from './from-layers.js';

export interface CompiledInference {
  /** Logits (the model's output) for a float32 batch [n, ...inputShape]; the caller disposes the result. */
  predict(x: tf.Tensor): tf.Tensor;
  /** Release the native session. */
  dispose(): void;
  /** Number of graph nodes before TensorFlow's optimisation. */
  readonly nodeCount: number;
}

/** Compile `model` (its current weights) into a native TensorFlow session. */
export async function compileInference(model: tfl.LayersModel): Promise<CompiledInference> {
  const backend = sessionBackend(
    'compiled inference',
    "import '@tensorflow/tfjs-node', or evaluate with model.predict (inference = 'reference')",
  );
  const graph = inferenceGraph(model);
  const id = await loadSession(backend, graph.nodes, {
    inputs: { x: { name: `${graph.input}:0`, dtype: DT_FLOAT, shape: [-1, ...graph.inputShape] } },
    outputs: { y: { name: `${graph.output}:0`, dtype: DT_FLOAT, shape: [-1, ...graph.outputShape] } },
  });
  const inputInfo = [{ name: `${graph.input}:0` }];
  const outputs = [`${graph.output}:0`];
  const want = graph.inputShape.join(',');
  let live = true;
  return {
    nodeCount: graph.nodes.length,
    predict(x: tf.Tensor): tf.Tensor {
      if (!live)
        throw new ModelError(
          'compiled inference: predict() after dispose()',
          'compile the model again with compileInference(model)',
        );
      if (x.dtype !== 'float32' || x.shape.slice(1).join(',') !== want) {
        throw new ModelError(
          `compiled inference: x is ${x.dtype} [${x.shape.join(', ')}]: expected float32 [n, ${want}]`,
          `pass a float32 batch of shape [n, ${want}]`,
        );
      }
      return backend.runSavedModel(id, [x], inputInfo, outputs)[0]!;
    },
    dispose() {
      if (live) backend.deleteSavedModel(id);
      live = false;
    },
  };
}
