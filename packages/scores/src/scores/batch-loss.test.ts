import { describe, expect, it } from 'vitest';
import { batchLoss } from './batch-loss.js';

describe('batch-loss', () => {
  it('gives every sample of a batch an EMA of the batch mean loss (hand-checked, decay 0.5)', () => {
    const t = batchLoss.create(3, { decay: 0.5 });
    t.update({ ids: [0, 1], batchLoss: 2 });
    t.update({ ids: [1, 2], batchLoss: 4 });
    // sample 1: 2 -> 2 + 0.5 * (4 - 2) = 3
    expect(Array.from(t.values())).toEqual([2, 3, 4]);
  });

  it('uses the mean of per-sample losses when no batch loss is given', () => {
    const t = batchLoss.create(2, { decay: 0.5 });
    t.update({ ids: [0, 1], losses: [1, 5] });
    expect(Array.from(t.values())).toEqual([3, 3]);
  });
});
