import { describe, expect, it } from 'vitest';
import { formatDuration, runEta } from './format.js';

describe('formatDuration', () => {
  it('writes m:ss under an hour and h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect([formatDuration(Number.NaN), formatDuration(Infinity)]).toEqual(['?', '?']);
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(16600)).toBe('4:36:40');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('runEta', () => {
  it('extrapolates the epochs this process ran to the epochs left', () => {
    // 3 epochs in 600 s, 80 in all: 77 left at 200 s each.
    expect(runEta(600, 3, 3, 80)).toBeCloseTo(15400);
    // A run resumed at epoch 47 of 50 that has run 2 epochs here in 400 s: 1 epoch left.
    expect(runEta(400, 2, 49, 50)).toBeCloseTo(200);
    expect(runEta(400, 2, 50, 50)).toBe(0);
    expect(runEta(0, 0, 47, 50)).toBeUndefined();
  });
});
