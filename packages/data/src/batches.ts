import type { ImageDataset } from './dataset.js';
import { sampleBytes } from './dataset.js';
import { DataError } from './errors.js';

/** One mini-batch: uint8 pixels gathered for `ids`, with labels and loss weights aligned to them. */
export interface Batch {
  /** Sample ids (positions in the split), one per row. */
  ids: Uint32Array;
  /** ids.length * h * w * c bytes, NHWC. */
  images: Uint8Array;
  labels: Int32Array;
  /** Per-sample loss weights (1 unless a policy says otherwise). */
  weights: Float32Array;
}

export interface BatchOptions {
  batchSize: number;
  /** Ids to draw from, in order (default: every sample, 0..size-1). */
  indices?: Uint32Array;
  /** Loss weight per entry of `indices` (default 1). */
  weights?: Float32Array;
  /** Keep a final batch smaller than batchSize (default true). */
  keepLast?: boolean;
}

/** Number of batches `batches()` yields. */
export function batchCount(n: number, batchSize: number, keepLast = true): number {
  return keepLast ? Math.ceil(n / batchSize) : Math.floor(n / batchSize);
}

/**
 * Mini-batches over `indices` in the given order (a policy's selection is already shuffled). Pixels are
 * gathered into one contiguous uint8 buffer per batch; nothing is converted to float here. The options are
 * checked as `createBatchLoader` checks them (an integer batchSize >= 1, ids < size, one weight per index), when
 * called, before the first batch.
 */
export function batches(data: ImageDataset, opts: BatchOptions): Generator<Batch> {
  const { batchSize, keepLast = true } = opts;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new DataError(`batchSize = ${String(batchSize)} is invalid`, 'use an integer >= 1');
  }
  const indices = opts.indices ?? Uint32Array.from({ length: data.size }, (_, i) => i);
  if (opts.indices) checkIds(data, indices, 'indices');
  checkWeights(indices, opts.weights, 'indices');
  return batchesOf(data, indices, batchSize, keepLast, opts.weights);
}

function* batchesOf(
  data: ImageDataset,
  indices: Uint32Array,
  batchSize: number,
  keepLast: boolean,
  weights: Float32Array | undefined,
): Generator<Batch> {
  const count = batchCount(indices.length, batchSize, keepLast);
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const ids = indices.subarray(start, Math.min(start + batchSize, indices.length));
    yield gatherChecked(data, ids, weights?.subarray(start, start + ids.length));
  }
}

/** Gather the samples `ids` of `data` into one batch; an id >= size or a weight count other than ids.length is a DataError. */
export function gather(data: ImageDataset, ids: Uint32Array, weights?: Float32Array): Batch {
  checkIds(data, ids, 'ids');
  checkWeights(ids, weights, 'ids');
  return gatherChecked(data, ids, weights);
}

function checkIds(data: ImageDataset, ids: Uint32Array, field: string): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i]! >= data.size)
      throw new DataError(
        `${field}[${i}] = ${ids[i]} is out of range for ${data.name}/${data.split}`,
        `use ids in [0, ${data.size - 1}]`,
      );
  }
}

function checkWeights(ids: Uint32Array, weights: Float32Array | undefined, field: string): void {
  if (weights && weights.length !== ids.length)
    throw new DataError(
      `weights has ${weights.length} entries but ${field} has ${ids.length}`,
      `pass one weight per entry of ${field}`,
    );
}

function gatherChecked(data: ImageDataset, ids: Uint32Array, weights?: Float32Array): Batch {
  const bytes = sampleBytes(data);
  const images = new Uint8Array(ids.length * bytes);
  const labels = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    images.set(data.images.subarray(id * bytes, (id + 1) * bytes), i * bytes);
    labels[i] = data.labels[id]!;
  }
  return {
    ids: Uint32Array.from(ids),
    images,
    labels,
    weights: weights ? Float32Array.from(weights) : new Float32Array(ids.length).fill(1),
  };
}
