/**
 * An in-memory image classification split. Pixels stay uint8 (NHWC, row-major); conversion to float
 * and normalisation happen per batch.
 */
export interface ImageDataset {
  /** Dataset name, e.g. 'fashion-mnist'. */
  readonly name: string;
  /** 'train' or 'test'. */
  readonly split: string;
  /** Number of samples. */
  readonly size: number;
  /** [height, width, channels]. */
  readonly shape: readonly [number, number, number];
  /** size * h * w * c bytes, sample-major. */
  readonly images: Uint8Array;
  /** One label per sample, in [0, numClasses). */
  readonly labels: Uint8Array | Uint16Array;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Per-channel mean and std in [0, 1] pixel units, used to normalise batches. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface DatasetPair {
  train: ImageDataset;
  test: ImageDataset;
  /** Where the files were found. */
  source: string;
}

/** Bytes per sample. */
export function sampleBytes(d: Pick<ImageDataset, 'shape'>): number {
  return d.shape[0] * d.shape[1] * d.shape[2];
}

/** Per-channel mean and std of uint8 images, in [0, 1] units. */
export function channelStats(images: Uint8Array, channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < images.length; i++) {
    const v = images[i]!;
    const c = i % channels;
    sum[c]! += v;
    sq[c]! += v * v;
  }
  const n = images.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = sum[c]! / n;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(sq[c]! / n - m * m, 0)) / 255);
  }
  return { mean, std };
}
