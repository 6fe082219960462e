import type { ImageDataset } from './dataset.js';
import { sampleBytes } from './dataset.js';

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
 * gathered into one contiguous uint8 buffer per batch; nothing is converted to float here.
 */
export function* batches(data: ImageDataset, opts: BatchOptions): Generator<Batch> {
  const { batchSize, keepLast = true } = opts;
  const indices = opts.indices ?? Uint32Array.from({ length: data.size }, (_, i) => i);
  const count = batchCount(indices.length, batchSize, keepLast);
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const ids = indices.subarray(start, Math.min(start + batchSize, indices.length));
    yield gather(data, ids, opts.weights?.subarray(start, start + ids.length));
  }
}

/** Gather the samples `ids` of `data` into one batch. */
export function gather(data: ImageDataset, ids: Uint32Array, weights?: Float32Array): Batch {
  const bytes = sampleBytes(data);
  const images = new Uint8Array(ids.length * bytes);
  const labels = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    images.set(data.images.subarray(id * bytes, (id + 1) * bytes), i * bytes);
    labels[i] = data.labels[id]!;
  }
  return { ids: Uint32Array.from(ids), images, labels, weights: weights ? Float32Array.from(weights) : new Float32Array(ids.length).fill(1) };
}
