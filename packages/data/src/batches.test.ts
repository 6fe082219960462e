import { describe, expect, it } from 'vitest';
import { batches, gather } from './batches.js';
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';

/** Five 1x1x2 samples: sample i has pixels [i, 10 + i] and label i % 3. */
const data: ImageDataset = {
  name: 'toy',
  split: 'train',
  size: 5,
  shape: [1, 1, 2],
  images: Uint8Array.from([0, 10, 1, 11, 2, 12, 3, 13, 4, 14]),
  labels: Uint8Array.from([0, 1, 2, 0, 1]),
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  mean: [0, 0],
  std: [1, 1],
};

describe('batches / gather', () => {
  it('gather ids with labels and weights; batches split indices in order, the last one short', () => {
    const b = gather(data, Uint32Array.from([4, 0]), Float32Array.from([2, 3]));
    expect([...b.images]).toEqual([4, 14, 0, 10]);
    expect([...b.labels]).toEqual([1, 0]);
    expect([...b.weights]).toEqual([2, 3]);
    const all = [...batches(data, { batchSize: 2 })];
    expect(all.map((x) => [...x.ids])).toEqual([[0, 1], [2, 3], [4]]);
    expect([...batches(data, { batchSize: 2, keepLast: false })]).toHaveLength(2);
  });

  it('rejects a batchSize that is not an integer >= 1 with a DataError when called (it used to loop forever on 0)', () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => batches(data, { batchSize })).toThrow(DataError);
      expect(() => batches(data, { batchSize })).toThrow(
        `batchSize = ${batchSize} is invalid; fix: use an integer >= 1`,
      );
    }
  });

  it('rejects ids >= size (they used to give a black image labelled 0)', () => {
    expect(() => batches(data, { batchSize: 2, indices: Uint32Array.from([0, 4, 5]) })).toThrow(
      'indices[2] = 5 is out of range for toy/train; fix: use ids in [0, 4]',
    );
    expect(() => gather(data, Uint32Array.from([3, 7]))).toThrow(
      'ids[1] = 7 is out of range for toy/train; fix: use ids in [0, 4]',
    );
  });

  it('rejects a weight count other than the number of ids', () => {
    expect(() =>
      batches(data, { batchSize: 2, indices: Uint32Array.from([1, 2]), weights: Float32Array.from([1]) }),
    ).toThrow('weights has 1 entries but indices has 2; fix: pass one weight per entry of indices');
    expect(() => batches(data, { batchSize: 2, weights: Float32Array.from([1, 1]) })).toThrow(
      /weights has 2 entries but indices has 5/,
    );
    expect(() => gather(data, Uint32Array.from([3, 1]), Float32Array.from([1, 2, 3]))).toThrow(
      'weights has 3 entries but ids has 2; fix: pass one weight per entry of ids',
    );
  });
});
