import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { batches, type ImageDataset } from '@dp/data';
import { compileInference, type CompiledInference } from '@dp/models';
import { TrainError } from './errors.js';
import { InputConverter } from './input.js';

/**
 * How evaluation runs the network: 'compiled' = one native TensorFlow graph per evaluation (@dp/models'
 * compileInference: conv + batch norm + ReLU fused, 1.5-4x faster on the native backend); 'reference' =
 * tfjs-layers' own forward pass; 'auto' (default) = compiled on the native `tensorflow` backend, else reference.
 */
export type InferenceKind = 'auto' | 'compiled' | 'reference';
export const INFERENCE_KINDS: readonly InferenceKind[] = ['auto', 'compiled', 'reference'];

/** The inference path `kind` resolves to on the active backend. */
export function resolveInference(kind: InferenceKind = 'auto'): 'compiled' | 'reference' {
  if (!INFERENCE_KINDS.includes(kind))
    throw new TrainError(
      `inference = ${JSON.stringify(kind)} is invalid: expected one of ${INFERENCE_KINDS.join(', ')}`,
      `use one of ${INFERENCE_KINDS.join(', ')}`,
    );
  if (kind === 'auto') return tf.getBackend() === 'tensorflow' ? 'compiled' : 'reference';
  return kind;
}

export interface EvalResult {
  loss: number;
  /** Top-1 accuracy in [0, 1]. */
  accuracy: number;
  /** Top-5 accuracy, where the dataset has more than 10 classes. */
  top5?: number;
  samples: number;
  seconds: number;
}

/** An inference-mode forward pass chosen by `InferenceKind`; `dispose()` releases a compiled session. */
export interface InferenceForward {
  forward(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/**
 * The forward pass for `kind` (evaluation and scoring share it). Under 'auto' a model the graph cannot hold, or a
 * failed compile (e.g. no space for the temporary graph file), falls back to the reference pass with a warning, so
 * that an evaluation never ends a long training run; asked for explicitly ('compiled'), the error is the caller's.
 */
export async function inferenceForward(
  model: LayersModel,
  kind: InferenceKind = 'auto',
  onWarning: (message: string) => void = console.warn,
): Promise<InferenceForward> {
  let compiled: CompiledInference | null = null;
  if (resolveInference(kind) === 'compiled') {
    try {
      compiled = await compileInference(model);
    } catch (e) {
      if (kind !== 'auto') throw e;
      onWarning(`compiled inference failed (${(e as Error).message}); evaluating with the reference forward pass`);
    }
  }
  if (compiled) return { forward: (x) => compiled.predict(x), dispose: () => compiled.dispose() };
  return { forward: (x) => model.apply(x, { training: false }) as tf.Tensor, dispose: () => {} };
}

export interface EvaluateOptions {
  /** Samples per forward pass (default 500). */
  batchSize?: number;
  converter?: InputConverter;
  inference?: InferenceKind;
  onWarning?: (message: string) => void;
  /**
   * After each batch, with the samples evaluated so far and in all. Evaluation yields to the event loop between
   * batches, so timers and signal handlers run during a long pass; throwing from here stops it.
   */
  onBatch?: (done: number, total: number) => void;
}

/** Test-set evaluation in inference mode (batch norm uses moving statistics; no gradients). */
export async function evaluate(
  model: LayersModel,
  data: ImageDataset,
  opts: EvaluateOptions = {},
): Promise<EvalResult> {
  const t0 = performance.now();
  const net = await inferenceForward(model, opts.inference, opts.onWarning);
  try {
    return await run(net, data, opts, (performance.now() - t0) / 1000);
  } finally {
    net.dispose();
  }
}

/** `seconds`: the evaluation's own time so far (building the inference graph); the batches add theirs. */
async function run(
  net: InferenceForward,
  data: ImageDataset,
  opts: EvaluateOptions,
  seconds: number,
): Promise<EvalResult> {
  const converter = opts.converter ?? new InputConverter(data);
  const withTop5 = data.numClasses > 10;
  let lossSum = 0;
  let correct = 0;
  let correct5 = 0;
  let done = 0;
  // Timed per batch: the caller's onBatch and whatever else runs while the pass yields are not evaluation time.
  let t = performance.now();
  for (const batch of batches(data, { batchSize: opts.batchSize ?? 500 })) {
    const [l, c, c5] = tf.tidy(() => {
      const x = converter.toTensor(batch.images, data.shape);
      const logits = net.forward(x) as tf.Tensor2D;
      const labels = tf.tensor1d(batch.labels, 'int32');
      const onehot = tf.oneHot(labels, data.numClasses);
      const loss = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, undefined, tf.Reduction.SUM);
      const hit = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      const hit5 = withTop5 ? tf.sum(tf.cast(topK(logits, labels, 5), 'float32')) : hit;
      return [loss.dataSync()[0]!, hit.dataSync()[0]!, hit5.dataSync()[0]!];
    });
    lossSum += l;
    correct += c;
    correct5 += c5;
    done += batch.labels.length;
    seconds += (performance.now() - t) / 1000;
    opts.onBatch?.(done, data.size);
    await new Promise<void>((resolve) => setImmediate(resolve));
    t = performance.now();
  }
  const n = data.size;
  return {
    loss: lossSum / n,
    accuracy: correct / n,
    ...(withTop5 ? { top5: correct5 / n } : {}),
    samples: n,
    seconds,
  };
}

/** 1 where the true label is among the k largest logits. */
function topK(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Tensor1D {
  const { indices } = tf.topk(logits, k);
  return tf.any(tf.equal(indices, tf.expandDims(labels, 1)), 1) as tf.Tensor1D;
}
