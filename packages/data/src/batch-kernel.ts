import { augmentBatch, type Augmentation } from './augment.js';
import { normalizeBatch, type NormTable } from './normalize.js';
import { BatchRng } from './rng.js';

/** Everything needed to build a ready batch: plain data, so it can be rebuilt inside a worker thread. */
export interface KernelData {
  images: Uint8Array;
  labels: Uint8Array | Uint16Array;
  shape: readonly [number, number, number];
  table: NormTable;
  augment: Augmentation;
  seed: number;
}

/** A batch ready for a training step: float32 NHWC inputs plus the ids, labels and loss weights of its rows. */
export interface ReadyBatch {
  /** Position of the batch within its epoch. */
  index: number;
  epoch: number;
  /** Sample ids (positions in the split), one per row. */
  ids: Uint32Array;
  labels: Int32Array;
  weights: Float32Array;
  /** ids.length * h * w * c float32 values, NHWC, normalised (and augmented when the loader augments). */
  x: Float32Array;
  /** [rows, h, w, c] of `x`. */
  shape: [number, number, number, number];
}

/** Reusable uint8 scratch buffers for one builder (the main thread or a worker). */
export class Scratch {
  private a = new Uint8Array(0);
  private b = new Uint8Array(0);
  get(bytes: number): [Uint8Array, Uint8Array] {
    if (this.a.length < bytes) {
      this.a = new Uint8Array(bytes);
      this.b = new Uint8Array(bytes);
    }
    return [this.a.subarray(0, bytes), this.b.subarray(0, bytes)];
  }
}

/**
 * Gather `ids`, augment them with the generator of (seed, epoch, index) and normalise to float32. Pure given
 * its inputs: the worker and the main thread produce identical batches.
 */
export function buildBatch(
  data: KernelData,
  ids: Uint32Array,
  weights: Float32Array,
  epoch: number,
  index: number,
  scratch: Scratch,
): ReadyBatch {
  const [h, w, c] = data.shape;
  const bytes = h * w * c;
  const n = ids.length;
  const [gathered, augmented] = scratch.get(n * bytes);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    gathered.set(data.images.subarray(id * bytes, id * bytes + bytes), i * bytes);
    labels[i] = data.labels[id]!;
  }
  let pixels = gathered;
  if (data.augment.kind !== 'none') {
    augmentBatch(gathered, augmented, n, data.shape, data.augment, BatchRng.forBatch(data.seed, epoch, index));
    pixels = augmented;
  }
  const x = normalizeBatch(pixels, data.table);
  return {
    index,
    epoch,
    ids: Uint32Array.from(ids),
    labels,
    weights: Float32Array.from(weights),
    x,
    shape: [n, h, w, c],
  };
}
