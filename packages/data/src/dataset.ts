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

/** Per-channel mean and std of uint8 images, in [0, 1] units (exact: from per-channel value histograms). */
export function channelStats(images: Uint8Array, channels: number): { mean: number[]; std: number[] } {
  const total = new Float64Array(256 * channels);
  const hist = new Uint32Array(256 * channels);
  // Count in blocks small enough that no uint32 bin can overflow, then add into doubles.
  const block = channels * (1 << 24);
  for (let start = 0; start < images.length; start += block) {
    const end = Math.min(start + block, images.length);
    if (channels === 3) {
      for (let i = start; i < end; i += 3) {
        hist[images[i]!]!++;
        hist[256 + images[i + 1]!]!++;
        hist[512 + images[i + 2]!]!++;
      }
    } else {
      for (let i = start; i < end; i++) hist[((i - start) % channels) * 256 + images[i]!]!++;
    }
    for (let k = 0; k < hist.length; k++) total[k]! += hist[k]!;
    hist.fill(0);
  }
  const n = images.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let sq = 0;
    for (let v = 0; v < 256; v++) {
      const k = total[c * 256 + v]!;
      sum += k * v;
      sq += k * v * v;
    }
    const m = sum / n;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(sq / n - m * m, 0)) / 255);
  }
  return { mean, std };
}
