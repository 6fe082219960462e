import type { ImageDataset } from './dataset.js';

/** A per-channel lookup table: value v of channel ch maps to lut[ch * 256 + v] = (v / 255 - mean) / std. */
export interface NormTable {
  channels: number;
  lut: Float32Array;
}

/** Build the lookup table for per-channel `mean` and `std` in [0, 1] units (a zero or missing std counts as 1). */
export function normalizationTable(mean: readonly number[], std: readonly number[], channels: number): NormTable {
  const lut = new Float32Array(256 * channels);
  for (let c = 0; c < channels; c++) {
    const m = mean[c] ?? 0;
    const s = std[c] || 1;
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - m) / s;
  }
  return { channels, lut };
}

const tables = new WeakMap<object, NormTable>();

function tableOf(norm: NormTable | Pick<ImageDataset, 'shape' | 'mean' | 'std'>): NormTable {
  if ('lut' in norm) return norm;
  let t = tables.get(norm);
  if (!t) {
    t = normalizationTable(norm.mean, norm.std, norm.shape[2]);
    tables.set(norm, t);
  }
  return t;
}

/**
 * float32 NHWC values (v / 255 - mean) / std of uint8 NHWC `images`, per channel, through a lookup table.
 * `norm` is a table or anything with shape, mean and std (a dataset); `out` is reused when given.
 */
export function normalizeBatch(
  images: Uint8Array,
  norm: NormTable | Pick<ImageDataset, 'shape' | 'mean' | 'std'>,
  out?: Float32Array,
): Float32Array {
  const { lut, channels } = tableOf(norm);
  const x = out ?? new Float32Array(images.length);
  if (x.length < images.length)
    throw new RangeError(`normalizeBatch: out has ${x.length} elements, need ${images.length}`);
  if (channels === 1) {
    for (let i = 0; i < images.length; i++) x[i] = lut[images[i]!]!;
  } else if (channels === 3) {
    for (let i = 0; i < images.length; i += 3) {
      x[i] = lut[images[i]!]!;
      x[i + 1] = lut[256 + images[i + 1]!]!;
      x[i + 2] = lut[512 + images[i + 2]!]!;
    }
  } else {
    for (let i = 0; i < images.length; i++) x[i] = lut[(i % channels) * 256 + images[i]!]!;
  }
  return x;
}
