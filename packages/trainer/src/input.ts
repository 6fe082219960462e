import * as tf from '@tensorflow/tfjs-core';
import { normalizationTable, normalizeBatch, type ImageDataset, type NormTable } from '@dp/data';

/**
 * Converts uint8 NHWC batches to normalised float32 tensors ((v / 255 - mean) / std per channel, through
 * @dp/data's lookup table), so the dataset itself stays uint8 in memory.
 */
export class InputConverter {
  private readonly table: NormTable;

  constructor(data: Pick<ImageDataset, 'shape' | 'mean' | 'std'>) {
    this.table = normalizationTable(data.mean, data.std, data.shape[2]);
  }

  /** Float32 values of `images` (uint8, NHWC). */
  toFloat(images: Uint8Array): Float32Array {
    return normalizeBatch(images, this.table);
  }

  /** A [n, h, w, c] float32 tensor of `images`. */
  toTensor(images: Uint8Array, shape: readonly [number, number, number]): tf.Tensor4D {
    const n = images.length / (shape[0] * shape[1] * shape[2]);
    return tf.tensor4d(this.toFloat(images), [n, shape[0], shape[1], shape[2]], 'float32');
  }
}
