import { describe, expect, it } from 'vitest';
import { createLossEma, updateLossEma } from './loss-ema.js';

describe('loss-ema', () => {
  it('matches hand-computed exponentially weighted mean and variance', () => {
    const s = createLossEma(3);
    updateLossEma(s, [1], [2], 0.5);
    expect([s.mean[1], s.variance[1], s.seen[1]]).toEqual([2, 0, 1]);
    updateLossEma(s, [1], [4], 0.5);
    // delta = 2, mean = 2 + 0.5 * 2 = 3, var = 0.5 * (0 + 0.5 * 4) = 1
    expect([s.mean[1], s.variance[1], s.seen[1]]).toEqual([3, 1, 2]);
    updateLossEma(s, [1, 0], [1, 5], 0.5);
    // delta = -2, mean = 2, var = 0.5 * (1 + 0.5 * 4) = 1.5
    expect([s.mean[1], s.variance[1]]).toEqual([2, 1.5]);
    expect([s.mean[0], s.seen[0], s.seen[2]]).toEqual([5, 1, 0]);
  });
});
