import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';

describe('learningRate', () => {
  it('follows progress, not steps', () => {
    expect(learningRate({ name: 'cosine', lr: 0.1 }, 0)).toBeCloseTo(0.1);
    expect(learningRate({ name: 'cosine', lr: 0.1 }, 0.5)).toBeCloseTo(0.05);
    expect(learningRate({ name: 'cosine', lr: 0.1 }, 1)).toBeCloseTo(0);
    expect(learningRate({ name: 'cosine', lr: 0.1, warmup: 0.1 }, 0.05)).toBeCloseTo(0.05);
    expect(learningRate({ name: 'step', lr: 1, milestones: [0.5], gamma: 0.1 }, 0.6)).toBeCloseTo(0.1);
    expect(learningRate({ name: 'linear', lr: 1 }, 0.25)).toBeCloseTo(0.75);
    expect(learningRate({ name: 'constant', lr: 0.3 }, 0.9)).toBe(0.3);
    expect(learningRate({ name: 'onecycle', lr: 1 }, 0)).toBeCloseTo(0.04);
    expect(learningRate({ name: 'onecycle', lr: 1 }, 0.3)).toBeCloseTo(1);
    expect(learningRate({ name: 'onecycle', lr: 1 }, 1)).toBeCloseTo(4e-6);
  });
});
