import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { asMethodRun, markdownTable, methodLabel, summarize, summaryTable } from './summarize.js';

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

  it('tells settings apart by what differs (full runs of 30 and 80 epochs), full data first within each', () => {
    const full30 = run({ epochs: 30 }, 0.86, 100);
    const full80 = run({ epochs: 80 }, 0.885, 270);
    const ucb80 = run({ epochs: 80, policy: 'ucb', pruneRatio: 0.7 }, 0.87, 90);
    const ms = summarize([ucb80, full80, full30]);
    expect(ms.map((m) => [m.label, m.settingLabel])).toEqual([
      ['full data', '30 epochs'],
      ['full data', '80 epochs'],
      ['ucb @ 0.7', '80 epochs'],
    ]);
    expect(ms[2]!.speedup).toBeCloseTo(3); // against the 80-epoch run, not the 30-epoch one
    expect(summaryTable(ms)).toMatch(/\| full data +\| fashion-mnist \/ cnn-small · 30 epochs +\|/);
    // One setting in the report: no label.
    expect(summarize([full30]).map((m) => m.settingLabel)).toEqual(['']);
  });

  it('groups runs whose policy options differ only in order (or are missing) as one method', () => {
    const a = run({ policy: 'ucb', pruneRatio: 0.5, policyOptions: { c: 2, decay: 0.5 }, seed: 0 }, 0.8, 10);
    const b = run({ policy: 'ucb', pruneRatio: 0.5, policyOptions: { decay: 0.5, c: 2 }, seed: 1 }, 0.82, 10);
    const plain = run({ policy: 'ucb', pruneRatio: 0.5, seed: 2 }, 0.81, 10);
    const noOptions = { ...plain, config: { ...plain.config, policyOptions: undefined } } as unknown as RunSummary;
    const ms = summarize([a, b, plain, { ...noOptions, config: { ...noOptions.config, seed: 3 } }]);
    expect(ms.map((m) => [m.label, m.seeds])).toEqual([
      ['ucb @ 0.5', [2, 3]],
      ['ucb (c=2, decay=0.5) @ 0.5', [0, 1]],
    ]);
  });

  it('treats options at their default values as unset, counts each seed once, and orders option values numerically', () => {
    const eg = (seed: number, policyOptions: Record<string, unknown>, acc: number) =>
      run({ policy: 'epsilon-greedy', pruneRatio: 0.7, seed, policyOptions }, acc, 10);
    const ms = summarize([
      eg(0, { epsilon: 0.1 }, 0.9),
      eg(1, { epsilon: 0.1, interval: 1 }, 0.91),
      eg(1, {}, 0.91), // seed 1 again, spelled without options: the same experiment, counted once (the last read)
      eg(2, {}, 0.92),
      eg(0, { epsilon: 0.4 }, 0.85),
      eg(0, { epsilon: 0.05 }, 0.86),
      eg(0, { epsilon: 0.2 }, 0.87),
      run({ policy: 'ucb', pruneRatio: 0.7, seed: 0, policyOptions: { c: 1, decay: 0.9 } }, 0.9, 10),
    ]);
    expect(ms.map((m) => [m.label, m.seeds])).toEqual([
      ['epsilon-greedy @ 0.7', [0, 1, 2]],
      ['epsilon-greedy (epsilon=0.05) @ 0.7', [0]],
      ['epsilon-greedy (epsilon=0.2) @ 0.7', [0]],
      ['epsilon-greedy (epsilon=0.4) @ 0.7', [0]],
      ['ucb @ 0.7', [0]],
    ]);
    expect(ms[0]!.accuracy.mean).toBeCloseTo(0.91);
  });

  it('tells static methods apart by their options, and score files of one name by their path', () => {
    const st = (scoreFile: string, policyOptions: Record<string, unknown>) =>
      run({ policy: 'static', pruneRatio: 0.7, scoreFile, policyOptions }, 0.8, 10);
    const ms = summarize([
      st('a/el2n.dpscore', {}),
      st('a/el2n.dpscore', { offset: 5000 }),
      st('b/el2n.dpscore', {}),
      st('a/el2n.dpscore', { offset: 0 }),
    ]);
    expect(ms.map((m) => [m.label, m.seeds.length])).toEqual([
      ['static a/el2n @ 0.7', 1],
      ['static b/el2n @ 0.7', 1],
      ['static el2n (offset=5000) @ 0.7', 1],
    ]);
  });

  it('gives the share of samples that would flip by chance for the subset sizes trained', () => {
    const r = run({ policy: 'random', pruneRatio: 0.5, epochs: 3 }, 0.8, 10);
    r.trainedFraction = 0.5;
    r.epochs = [0, 1, 2].map((epoch) => ({ epoch, samples: 500 })) as RunSummary['epochs'];
    expect(summarize([r])[0]!.flipChance).toBeCloseTo(1 - 0.125 - 0.125); // 1000 samples, half each epoch
  });

  it('reports an equal-steps run as the method it stands for: equal steps @ r in the setting of the pruned runs of E epochs', () => {
    const full = run({ epochs: 80 }, 0.92, 800);
    const random = run({ epochs: 80, policy: 'random', pruneRatio: 0.7 }, 0.9, 250);
    // As dp bench records it: full data for ⌈0.3 · 80⌉ = 24 epochs, all of the data each epoch.
    const equal = {
      ...run({ epochs: 24, equalSteps: { epochs: 80, pruneRatio: 0.7 } }, 0.905, 200),
      trainedFraction: 1,
      samplesTrained: 24 * 1000,
    } as RunSummary;
    const ms = summarize([random, equal, full]);
    expect(ms.map((m) => [m.label, m.settingLabel, m.epochs])).toEqual([
      ['full data', '', 80],
      ['equal steps @ 0.7', '', 80],
      ['random @ 0.7', '', 80],
    ]);
    const e = ms[1]!;
    expect(e.policy).toBe('equal-steps');
    expect(e.trainedFraction).toBeCloseTo(0.3); // 24 of 80 epochs' data
    expect(e.speedup).toBeCloseTo(4);
    expect(e.accuracyChange).toBeCloseTo(-1.5);
    expect(e.flipChance).toBe(0);
    // It trains every sample every epoch: no flips column, no selection views.
    expect(summaryTable(ms).split('\n')[3]).toMatch(/^\| equal steps @ 0\.7 .*\| –\s+\|$/);
    expect(asMethodRun(full)).toBe(full);
  });

  it('escapes a pipe inside a cell so it cannot shift the columns', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 'z']]).split('\n')[2]).toBe('| x\\|y | z |');
  });
});
