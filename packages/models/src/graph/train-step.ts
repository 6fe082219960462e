/**
 * The whole SGD training step (forward, backward, momentum update, moving statistics) as one native TensorFlow
 * session call (train-graph.ts), instead of ~700 eager ops and the tfjs tape per step. The state stays where the
 * eager step keeps it: the model's variables, the optimizer's momentum accumulators (created as tfjs'
 * MomentumOptimizer creates them, index-aligned with `vars`) and its iteration count, so checkpoints, resume and a
 * switch between the two paths at any step see one state.
 *
 * Requires the native `tensorflow` backend of @tensorflow/tfjs-node and a model trainingGraph supports (a
 * ModelError otherwise: the caller keeps the eager step, the reference path).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { DT_FLOAT, DT_INT32 } from './graph-def.js';
import { loadSession, sessionBackend } from './session.js';
import { trainingGraph } from './train-graph.js';

export interface CompiledTrainStepOptions {
  /** The variables the optimizer updates, in its order (default: model.trainableWeights' variables). */
  vars?: tf.Variable[];
  /** Variables under coupled L2 weight decay (conv / dense kernels). */
  decayed?: readonly tf.Tensor[];
  weightDecay?: number;
  labelSmoothing?: number;
}

export interface CompiledTrainStep {
  /**
   * One SGD step at learning rate `lr` on inputs x (float32 [n, ...inputShape]), labels (int32 [n]) and selection
   * weights (float32 [n]); updates the variables, the optimizer's accumulators and the batch norms' moving
   * statistics in place and returns the per-sample losses and hits of the step's forward pass. Does not dispose
   * the batch's tensors.
   */
  step(x: tf.Tensor, labels: tf.Tensor, weights: tf.Tensor, lr: number): { losses: Float32Array; hits: Float32Array };
  /** Release the native session. */
  dispose(): void;
  readonly nodeCount: number;
}

/** The private state of tfjs' MomentumOptimizer this step reads and writes. */
interface MomentumState {
  accumulations: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/** Compile the training step of `model` under `optimizer` (a tf.train.momentum optimizer). */
export async function compileTrainStep(
  model: tfl.LayersModel,
  optimizer: tf.MomentumOptimizer,
  options: CompiledTrainStepOptions = {},
): Promise<CompiledTrainStep> {
  const backend = sessionBackend('the compiled training step', 'train with the eager step (optimizer.minimize)');
  const config = optimizer.getConfig() as { momentum?: number; useNesterov?: boolean };
  if (optimizer.getClassName() !== 'Momentum' || typeof config.momentum !== 'number')
    throw new ModelError(
      `the compiled training step supports tf.train.momentum, not '${optimizer.getClassName()}'`,
      'train with the eager step (optimizer.minimize)',
    );
  const vars = options.vars ?? model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = new Set<string>();
  for (const w of model.trainableWeights) if (options.decayed?.includes(w.read())) decayed.add(w.name);
  const graph = trainingGraph(model, {
    labelSmoothing: options.labelSmoothing ?? 0,
    weightDecay: options.weightDecay ?? 0,
    decayed,
    momentum: config.momentum,
    nesterov: config.useNesterov === true,
  });
  // The optimizer's accumulators are index-aligned with the variable list it was given: map ours onto it.
  const order = graph.trainable.map((t) => {
    const i = vars.indexOf(t.variable.read() as tf.Variable);
    if (i < 0)
      throw new ModelError(
        `the compiled training step: trainable weight '${t.variable.name}' is not among the optimizer's variables`,
        'pass vars = the variables the optimizer updates',
      );
    return i;
  });
  if (vars.length !== graph.trainable.length)
    throw new ModelError(
      `the compiled training step: ${vars.length} variables given, the model trains ${graph.trainable.length}`,
      "pass vars = the model's trainable variables",
    );
  const sig = (name: string, dtype: number, shape: readonly number[]) => ({ name: `${name}:0`, dtype, shape });
  const inputNames = [
    graph.x,
    graph.labels,
    graph.weights,
    graph.lr,
    ...graph.trainable.map((t) => t.value),
    ...graph.trainable.map((t) => t.accumulation),
    ...graph.moving.map((m) => m.value),
  ];
  const outputNames = [
    graph.losses,
    graph.hits,
    ...graph.trainable.map((t) => t.next),
    ...graph.trainable.map((t) => t.nextAccumulation),
    ...graph.moving.map((m) => m.next),
  ].map((n) => (n.includes(':') ? n : `${n}:0`));
  const id = await loadSession(backend, graph.nodes, {
    inputs: {
      x: sig(graph.x, DT_FLOAT, [-1, ...graph.inputShape]),
      labels: sig(graph.labels, DT_INT32, [-1]),
      weights: sig(graph.weights, DT_FLOAT, [-1]),
      lr: sig(graph.lr, DT_FLOAT, []),
    },
    outputs: { losses: sig(graph.losses, DT_FLOAT, [-1]), hits: sig(graph.hits, DT_FLOAT, [-1]) },
  });
  const inputInfo = inputNames.map((n) => ({ name: `${n}:0` }));
  const state = optimizer as unknown as MomentumState;
  const want = graph.inputShape.join(',');
  const k = graph.trainable.length;
  let live = true;
  return {
    nodeCount: graph.nodes.length,
    step(x, labels, weights, lr) {
      if (!live)
        throw new ModelError(
          'the compiled training step: step() after dispose()',
          'compile it again with compileTrainStep(model, optimizer)',
        );
      const n = x.shape[0]!;
      if (
        x.dtype !== 'float32' ||
        x.shape.slice(1).join(',') !== want ||
        labels.dtype !== 'int32' ||
        labels.shape.join(',') !== `${n}` ||
        weights.dtype !== 'float32' ||
        weights.shape.join(',') !== `${n}`
      ) {
        throw new ModelError(
          `the compiled training step: x ${x.dtype} [${x.shape.join(', ')}], labels ${labels.dtype} [${labels.shape.join(', ')}], weights ${weights.dtype} [${weights.shape.join(', ')}]: expected float32 [n, ${want}], int32 [n], float32 [n]`,
          'pass one batch: inputs, integer labels and per-sample weights of the same length',
        );
      }
      const accs = order.map((i) => {
        // Created exactly as MomentumOptimizer.applyGradients creates them (zeros, named after the variable).
        state.accumulations[i] ??= {
          originalName: `${vars[i]!.name}/momentum`,
          variable: tf.tidy(() => tf.zerosLike(vars[i]!).variable(false)),
        };
        return state.accumulations[i].variable;
      });
      const rate = tf.scalar(lr, 'float32');
      const outs = backend.runSavedModel(
        id,
        [
          x,
          labels,
          weights,
          rate,
          ...order.map((i) => vars[i]!),
          ...accs,
          ...graph.moving.map((m) => m.variable.read()),
        ],
        inputInfo,
        outputNames,
      );
      rate.dispose();
      const losses = outs[0]!.dataSync() as Float32Array;
      const hits = outs[1]!.dataSync() as Float32Array;
      for (let j = 0; j < k; j++) {
        vars[order[j]!]!.assign(outs[2 + j]!);
        accs[j]!.assign(outs[2 + k + j]!);
      }
      graph.moving.forEach((m, j) => m.variable.write(outs[2 + 2 * k + j]!));
      tf.dispose(outs);
      state.incrementIterations();
      return { losses, hits };
    },
    dispose() {
      if (live) backend.deleteSavedModel(id);
      live = false;
    },
  };
}
