import { describe, expect, it } from 'vitest';
import { createPruner } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing/helpers.js';

describe('full', () => {
  it('trains every sample with weight 1 every epoch, in a new order each epoch, whatever pruneRatio says', () => {
    const p = createPruner({ policy: 'full', datasetSize: 500, pruneRatio: 0.9, totalEpochs: 3, seed: 1 });
    const orders = [0, 1, 2].map((e) => {
      expect(p.isFullDataEpoch(e)).toBe(true);
      const sel = trainEpoch(p, e, (id) => fakeLoss(1, id, e));
      expect(sel.kept).toBe(500);
      expect([...sel.indices].sort((a, b) => a - b)).toEqual([...Array(500).keys()]);
      expect(sel.weights.every((w) => w === 1)).toBe(true);
      return [...sel.indices];
    });
    expect(orders[0]).not.toEqual(orders[1]);
    expect(p.bytesPerSample).toBe(0);
    expect(p.scores()).toBeNull();
  });
});
