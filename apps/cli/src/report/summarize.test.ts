import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../run/config.js';
import type { RunSummary } from '../run/run.js';
import { methodLabel, summarize } from './summarize.js';

function run(config: Record<string, unknown>, accuracy: number, seconds: number): RunSummary {
  return {
    config: { ...DEFAULTS, ...config },
    finalAccuracy: accuracy,
    trainingSeconds: seconds,
    scoringSeconds: 0,
    trainedFraction: config.policy === 'full' ? 1 : 0.3,
    epochs: [],
    selection: { histogram: [0, 0, 0, 1], flippedShare: 0.5 },
  } as unknown as RunSummary;
}

describe('methodLabel', () => {
  it('tells runs of one policy with different options apart, in a stable option order', () => {
    expect(methodLabel('full', 0)).toBe('full data');
    expect(methodLabel('ucb', 0.5)).toBe('ucb @ 0.5');
    expect(methodLabel('ucb', 0.7, '', { decay: 0.5, c: 2 })).toBe('ucb (c=2, decay=0.5) @ 0.7');
    expect(methodLabel('static', 0.7, 'results/scores/fmnist-el2n-e2.dpscore')).toBe('static fmnist-el2n-e2 @ 0.7');
  });
});

describe('summarize', () => {
  it('compares a run with the full-data run of its setting, also across fields a run predates or that change nothing trained', () => {
    const { inference: _i, ...old } = DEFAULTS;
    const full = { ...run({}, 0.9, 100), config: old } as unknown as RunSummary; // written before `inference` existed
    const ucb = run({ policy: 'ucb', pruneRatio: 0.7, inference: 'reference' }, 0.88, 40);
    const other = run({ policy: 'random', pruneRatio: 0.7, epochs: 9 }, 0.8, 10); // another setting: no baseline
    const ms = summarize([full, ucb, other]);
    const u = ms.find((m) => m.policy === 'ucb')!;
    expect(u.speedup).toBeCloseTo(2.5);
    expect(u.accuracyChange).toBeCloseTo(-2);
    expect(ms.find((m) => m.policy === 'random')!.speedup).toBeUndefined();
  });
});
