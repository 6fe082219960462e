/**
 * Synchronous data-parallel training: what train() needs of a cluster, and the arithmetic that makes W workers with
 * batch B / W reproduce one process with batch B.
 *
 * The epoch's whole list (the pruner's selection, identical on every worker) is split by position: worker r trains
 * positions r, r + W, r + 2W, ... (no padding, no dropping). Its batch k (B / W entries) then holds exactly the
 * positions of the single-process batch k (kB .. kB + B - 1) that are congruent to r mod W, so the W batches of a
 * step together are the single-process batch. Each worker's objective is sum_i(w_i * loss_i) / n_k, n_k the GLOBAL
 * batch size of step k, and the gradients are summed by one all-reduce: the single-process gradient, up to the order
 * of float additions. Weight decay is added once, after the sum. The step's ids, labels, losses and hits are
 * all-gathered and put back in the single-process order, so every worker's pruner observes exactly what one
 * process's would.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageDataset } from '@dp/data';
import { TrainError } from './errors.js';
import { evaluate, type EvalResult, type EvaluateOptions } from './evaluate.js';

/**
 * A joined cluster, as train() uses it: @dp/distributed's `Collective` implements it (the trainer does not depend on
 * it). Every worker must call the same collectives in the same order; results are identical on every worker.
 */
export interface DataParallel {
  /** This worker, in [0, worldSize). Rank 0 writes the checkpoints. */
  readonly rank: number;
  readonly worldSize: number;
  /** Element-wise sum over the workers. */
  allReduce<T extends Float32Array | Float64Array>(data: T, op?: 'sum'): Promise<T>;
  /** Every worker's array (all of equal length), concatenated in rank order. */
  allGather<T extends Int32Array | Float64Array>(data: T): Promise<T>;
  /**
   * Optional: fails this worker's pending and later collectives at once with `reason` (a process about to exit on a
   * second Ctrl-C). Its peers find it down by their own health checks.
   */
  abort?(reason: string): void;
}

/** The sizes a data-parallel run needs, checked: the per-worker batch (B / W). */
export function workerBatchSize(batchSize: number, parallel: DataParallel | undefined): number {
  if (!parallel || parallel.worldSize === 1) return batchSize;
  const w = parallel.worldSize;
  if (!Number.isInteger(w) || w < 1 || !Number.isInteger(parallel.rank) || parallel.rank < 0 || parallel.rank >= w)
    throw new TrainError(
      `parallel = { rank: ${parallel.rank}, worldSize: ${w} } is invalid`,
      'pass the cluster membership from @dp/distributed joinCluster',
    );
  if (batchSize % w !== 0)
    throw new TrainError(
      `batch size ${batchSize} is not divisible by the ${w} workers: every worker trains batchSize / ${w} samples per step`,
      `pass a --batch-size that is a multiple of ${w} (e.g. ${Math.max(w, Math.round(batchSize / w) * w)}), or launch a number of workers that divides ${batchSize}`,
      { field: 'batchSize', value: batchSize, allowed: `a multiple of ${w}` },
    );
  return batchSize / w;
}

/** Worker `rank`'s positions of a list: rank, rank + W, ... (the entries it trains, in order). */
export function shardByPosition(
  indices: Uint32Array,
  weights: Float32Array,
  rank: number,
  worldSize: number,
): { indices: Uint32Array; weights: Float32Array } {
  const n = indices.length;
  const per = rank < n ? Math.ceil((n - rank) / worldSize) : 0;
  const outI = new Uint32Array(per);
  const outW = new Float32Array(per);
  for (let i = 0, p = rank; i < per; i++, p += worldSize) {
    outI[i] = indices[p]!;
    outW[i] = weights[p]!;
  }
  return { indices: outI, weights: outW };
}

/** What one step trained, over all workers, in the single-process batch order. */
export interface GlobalSamples {
  ids: Uint32Array;
  labels: Int32Array;
  losses: Float32Array;
  hits: Float32Array;
}

const FIELDS = 4;

/**
 * One worker's block in a step's all-gather: 4 × per values (ids, labels, losses, hits) and, last, its stop flag
 * (stop-agreement.ts).
 */
export const sampleBlock = (per: number): { size: number; flagAt: number } => ({
  size: FIELDS * per + 1,
  flagAt: FIELDS * per,
});

/**
 * This worker's step samples as one all-gather payload (sampleBlock; padded with -1: the last batch may be short),
 * with `stopFlag` (1: this worker has been asked to stop).
 */
export function packSamples(s: GlobalSamples | undefined, per: number, stopFlag = 0): Float64Array {
  const block = sampleBlock(per);
  const out = new Float64Array(block.size).fill(-1);
  out[block.flagAt] = stopFlag;
  if (!s) return out;
  const n = s.ids.length;
  for (let j = 0; j < n; j++) {
    out[j] = s.ids[j]!;
    out[per + j] = s.labels[j]!;
    out[2 * per + j] = s.losses[j]!;
    out[3 * per + j] = s.hits[j]!;
  }
  return out;
}

/**
 * The gathered payloads back in single-process order: global offset t of the step is worker t mod W's entry
 * floor(t / W). `count` is the step's global batch size.
 */
export function unpackSamples(all: Float64Array, per: number, worldSize: number, count: number): GlobalSamples {
  const out: GlobalSamples = {
    ids: new Uint32Array(count),
    labels: new Int32Array(count),
    losses: new Float32Array(count),
    hits: new Float32Array(count),
  };
  const block = sampleBlock(per).size;
  for (let t = 0; t < count; t++) {
    const base = (t % worldSize) * block + Math.floor(t / worldSize);
    out.ids[t] = all[base]!;
    out.labels[t] = all[base + per]!;
    out.losses[t] = all[base + 2 * per]!;
    out.hits[t] = all[base + 3 * per]!;
  }
  return out;
}

/** The variables' values packed into one array (for an all-reduce), in order. */
export function packTensors(tensors: readonly tf.Tensor[]): Float32Array {
  let size = 0;
  for (const t of tensors) size += t.size;
  const out = new Float32Array(size);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/** `packed` cut back into tensors of the shapes of `like` (the caller disposes them). */
export function unpackTensors(packed: Float32Array, like: readonly tf.Tensor[]): tf.Tensor[] {
  let offset = 0;
  return like.map((t) => {
    const v = tf.tensor(packed.subarray(offset, offset + t.size), t.shape, 'float32');
    offset += t.size;
    return v;
  });
}

/**
 * Makes the model's non-trainable weights (batch-norm moving statistics, updated by each worker from its own
 * batches) the mean over the workers, so that every worker evaluates and checkpoints the same model.
 */
export async function averageNonTrainable(
  weights: ReadonlyArray<{ read(): tf.Tensor; write(t: tf.Tensor): void }>,
  parallel: DataParallel,
): Promise<void> {
  if (weights.length === 0) return;
  const values = weights.map((w) => w.read());
  const sum = await parallel.allReduce(packTensors(values));
  for (let i = 0; i < sum.length; i++) sum[i]! /= parallel.worldSize;
  const mean = unpackTensors(sum, values);
  weights.forEach((w, i) => w.write(mean[i]!));
  tf.dispose(mean);
}

/** Every worker resumes from the same epoch (the same checkpoint), or a TrainError naming the ones that differ. */
export async function checkSameStart(
  parallel: DataParallel,
  startEpoch: number,
  dir: string | undefined,
): Promise<void> {
  const all = await parallel.allGather(Int32Array.of(startEpoch));
  const differ = [...all].findIndex((e) => e !== all[0]);
  if (differ < 0) return;
  const where = (e: number) => (e === 0 ? 'from the beginning (no checkpoint)' : `after epoch ${e}`);
  throw new TrainError(
    `the workers would resume from different checkpoints: worker 0 ${where(all[0]!)}, worker ${differ} ${where(all[differ]!)}`,
    `give every worker the same run directory${dir ? ` (${dir})` : ''}: a shared file system, or a copy of worker 0's before resuming`,
  );
}

/**
 * Evaluation shared out: worker r evaluates its contiguous slice of the test set, and the sums (loss, top-1 and top-5
 * hits, samples) are all-reduced, so every worker gets the whole test set's result for 1 / W of the work.
 */
export async function evaluateSharded(
  model: LayersModel,
  test: ImageDataset,
  options: EvaluateOptions,
  parallel: DataParallel,
): Promise<EvalResult> {
  const { rank, worldSize } = parallel;
  const from = Math.floor((rank * test.size) / worldSize);
  const to = Math.floor(((rank + 1) * test.size) / worldSize);
  const bytes = test.shape[0] * test.shape[1] * test.shape[2];
  const slice: ImageDataset = {
    ...test,
    size: to - from,
    images: test.images.subarray(from * bytes, to * bytes),
    labels: test.labels.subarray(from, to),
  };
  const local = slice.size > 0 ? await evaluate(model, slice, options) : undefined;
  const n = slice.size;
  // Accuracies are hits / n in float64: hits come back exactly by rounding.
  const sums = Float64Array.of(
    local ? local.loss * n : 0,
    local ? Math.round(local.accuracy * n) : 0,
    local?.top5 !== undefined ? Math.round(local.top5 * n) : 0,
    n,
  );
  const [loss, hits, hits5, total] = await parallel.allReduce(sums);
  return {
    loss: loss! / total!,
    accuracy: hits! / total!,
    ...(local?.top5 !== undefined || test.numClasses > 10 ? { top5: hits5! / total! } : {}),
    samples: total!,
    seconds: local?.seconds ?? 0,
  };
}
