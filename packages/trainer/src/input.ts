import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '@dp/data';

/**
 * Converts uint8 NHWC batches to normalised float32 tensors through a per-channel lookup table
 * ((v / 255 - mean) / std), so the dataset itself stays uint8 in memory.
 */
export class InputConverter {
  private readonly lut: Float32Array;
  private readonly channels: number;

  constructor(data: Pick<ImageDataset, 'shape' | 'mean' | 'std'>) {
    this.channels = data.shape[2];
    this.lut = new Float32Array(256 * this.channels);
    for (let c = 0; c < this.channels; c++) {
      const mean = data.mean[c] ?? 0;
      const std = data.std[c] || 1;
      for (let v = 0; v < 256; v++) this.lut[c * 256 + v] = (v / 255 - mean) / std;
    }
  }

  /** Float32 values of `images` (uint8, NHWC). */
  toFloat(images: Uint8Array): Float32Array {
    const out = new Float32Array(images.length);
    const { lut, channels } = this;
    if (channels === 1) {
      for (let i = 0; i < images.length; i++) out[i] = lut[images[i]!]!;
    } else {
      for (let i = 0; i < images.length; i++) out[i] = lut[(i % channels) * 256 + images[i]!]!;
    }
    return out;
  }

  /** A [n, h, w, c] float32 tensor of `images`. */
  toTensor(images: Uint8Array, shape: readonly [number, number, number]): tf.Tensor4D {
    const n = images.length / (shape[0] * shape[1] * shape[2]);
    return tf.tensor4d(this.toFloat(images), [n, shape[0], shape[1], shape[2]], 'float32');
  }
}
