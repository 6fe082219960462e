import { describe, expect, it } from 'vitest';
import { methodLabel } from './summarize.js';

describe('methodLabel', () => {
  it('tells runs of one policy with different options apart, in a stable option order', () => {
    expect(methodLabel('full', 0)).toBe('full data');
    expect(methodLabel('ucb', 0.5)).toBe('ucb @ 0.5');
    expect(methodLabel('ucb', 0.7, '', { decay: 0.5, c: 2 })).toBe('ucb (c=2, decay=0.5) @ 0.7');
    expect(methodLabel('static', 0.7, 'results/scores/fmnist-el2n-e2.dpscore')).toBe('static fmnist-el2n-e2 @ 0.7');
  });
});
