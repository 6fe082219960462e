import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Where Debian's `fashion-mnist` package puts the four IDX files. */
export const DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** One split: `size` 28x28 greyscale images scaled to [0, 1], row-major, and their labels 0..9. */
export interface Split {
  size: number;
  /** size * 784 pixels. */
  images: Float32Array;
  labels: Int32Array;
}

/**
 * Read a gzipped IDX file (LeCun's MNIST format: big-endian magic 0x00000803 for uint8 images with 3 dimensions,
 * 0x00000801 for uint8 labels, then one uint32 per dimension, then the data) and return its first `limit` items.
 */
export function readIdx(path: string, limit = Infinity): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic >>> 8 !== 0x08) throw new Error(`${path}: not a uint8 IDX file (magic 0x${magic.toString(16)})`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const items = Math.min(dims[0]!, limit);
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length < start + dims[0]! * itemSize) throw new Error(`${path}: truncated (${bytes.length} bytes)`);
  return { dims: [items, ...dims.slice(1)], data: bytes.subarray(start, start + items * itemSize) };
}

/** The first `size` samples of the 'train' or 't10k' split. */
export function loadSplit(dir: string, split: 'train' | 't10k', size: number): Split {
  const images = readIdx(join(dir, `${split}-images-idx3-ubyte.gz`), size);
  const labels = readIdx(join(dir, `${split}-labels-idx1-ubyte.gz`), size);
  if (images.dims[1] !== 28 || images.dims[2] !== 28)
    throw new Error(`${split}: expected 28x28 images, got ${images.dims.join('x')}`);
  const n = images.dims[0]!;
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  return { size: n, images: pixels, labels: Int32Array.from(labels.data) };
}
