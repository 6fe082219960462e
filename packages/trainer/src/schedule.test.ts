import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';

/** Equal within float64 round-off (toBeCloseTo's default ±0.005 would pass an end value of 4e-6 for 0). */
const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

describe('learningRate', () => {
  it('follows progress, not steps', () => {
    near(learningRate({ name: 'cosine', lr: 0.1 }, 0), 0.1);
    near(learningRate({ name: 'cosine', lr: 0.1 }, 0.5), 0.05);
    near(learningRate({ name: 'cosine', lr: 0.1 }, 1), 0);
    near(learningRate({ name: 'cosine', lr: 0.1, warmup: 0.1 }, 0.05), 0.05);
    near(learningRate({ name: 'step', lr: 1, milestones: [0.5], gamma: 0.1 }, 0.6), 0.1);
    near(learningRate({ name: 'linear', lr: 1 }, 0.25), 0.75);
    expect(learningRate({ name: 'constant', lr: 0.3 }, 0.9)).toBe(0.3);
    near(learningRate({ name: 'onecycle', lr: 1 }, 0), 0.04);
    near(learningRate({ name: 'onecycle', lr: 1 }, 0.3), 1);
    near(learningRate({ name: 'onecycle', lr: 1 }, 1), 4e-6);
  });
});
