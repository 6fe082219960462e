import { describe, expect, it } from 'vitest';
import { checkSchedule, learningRate } from './schedule.js';

/** Equal within float64 round-off (toBeCloseTo's default ±0.005 would pass an end value of 4e-6 for 0). */
const near = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

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

  it('refuses schedules it cannot follow, naming the field (milestones are fractions of training, not epochs)', () => {
    expect(() => checkSchedule({ name: 'cosine', lr: 0.1, warmup: Number.NaN })).toThrow(
      'schedule.warmup = null is invalid: expected a fraction of training in [0, 1)',
    );
    expect(() => checkSchedule({ name: 'cosine', lr: 0.1, warmup: -0.5 })).toThrow('schedule.warmup = -0.5 is invalid');
    expect(() => checkSchedule({ name: 'step', lr: 0.1, milestones: [30, 60] })).toThrow(
      'schedule.milestones = [30,60] is invalid: expected ascending fractions of training in (0, 1), e.g. [0.5, 0.75] (not epochs)',
    );
    expect(() => checkSchedule({ name: 'step', lr: 0.1, milestones: [0.75, 0.5] })).toThrow(
      /schedule.milestones = \[0.75,0.5\] is invalid/,
    );
    expect(() => checkSchedule({ name: 'step', lr: 0.1, gamma: 10 })).toThrow(
      'schedule.gamma = 10 is invalid: expected a number in (0, 1]',
    );
    expect(() =>
      checkSchedule({ name: 'step', lr: 0.1, milestones: [0.5, 0.75], gamma: 0.1, warmup: 0.02 }),
    ).not.toThrow();
  });
});
