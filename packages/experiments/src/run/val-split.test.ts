import type { DatasetPair, ImageDataset } from '@dp/data';
import { describe, expect, it } from 'vitest';
import { comparisonTable, summarize } from '../report/summarize.js';
import { DEFAULTS, fingerprint, validateRunConfig } from '../config/config.js';
import { checkValSplit, runSplits } from './data.js';
import type { RunSummary } from './summary.js';

function split(name: string, labels: number[]): ImageDataset {
  // One 1x1x1 pixel per sample holding its index, so a split shows which samples it took.
  return {
    name: 'toy',
    split: name,
    size: labels.length,
    shape: [1, 1, 1],
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    images: Uint8Array.from(labels.map((_, i) => i)),
    labels: Uint8Array.from(labels),
    mean: [0.5],
    std: [0.2],
  };
}

const pair: DatasetPair = {
  train: split(
    'train',
    Array.from({ length: 30 }, (_, i) => i % 3),
  ),
  test: split('test', [0, 1, 2, 0, 1, 2]),
  source: '/toy',
};

describe('valSplit in the run config', () => {
  it('is off by default and left out of the fingerprint then, so every earlier run keeps its key; set, it is fingerprinted', () => {
    expect(DEFAULTS.valSplit).toBe(0);
    const base = validateRunConfig({});
    expect(fingerprint(base)).not.toContain('valSplit');
    expect(fingerprint(validateRunConfig({ valSplit: 0 }))).toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ valSplit: 5000 }))).toContain('["valSplit",5000]');
    expect(fingerprint(validateRunConfig({ valSplit: 5000 }))).not.toBe(
      fingerprint(validateRunConfig({ valSplit: 4000 })),
    );
  });

  it.each([-1, 1.5, '100', null])('refuses valSplit = %j with the allowed range and a fix', (v) => {
    expect(() => validateRunConfig({ valSplit: v })).toThrow(
      /^valSplit = .* is invalid: expected an integer >= 0 \(.*\); fix: e\.g\. --val-split 5000, or 0 to evaluate on the test set$/,
    );
  });
});

describe('runSplits', () => {
  it('without valSplit: the training and test subsets', () => {
    const s = runSplits(pair, { trainSubset: 0, testSubset: 3, valSplit: 0, seed: 0 });
    expect(s.evaluatedOn).toBe('test');
    expect(s.train).toBe(pair.train);
    expect(s.evaluation.size).toBe(3);
    expect(s.evaluation.split).toBe('test');
  });

  it('with valSplit: carves the validation split from the training subset (seeded by the run seed) and ignores the test set', () => {
    const s = runSplits(pair, { trainSubset: 12, testSubset: 3, valSplit: 6, seed: 1 });
    expect(s.evaluatedOn).toBe('validation');
    expect(s.train.size).toBe(6);
    expect(s.evaluation.size).toBe(6);
    expect(s.evaluation.split).toBe('validation');
    // Both parts come from the 12-sample training subset (samples 0..11: four of each class), two of each class each.
    const ids = [...s.train.images, ...s.evaluation.images].sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect([...s.evaluation.labels].sort()).toEqual([0, 0, 1, 1, 2, 2]);
    // Deterministic per seed; another seed, another split.
    expect([...runSplits(pair, { trainSubset: 12, testSubset: 0, valSplit: 6, seed: 1 }).evaluation.images]).toEqual([
      ...s.evaluation.images,
    ]);
    const others = new Set(
      [2, 3, 4, 5].map((seed) =>
        JSON.stringify([...runSplits(pair, { trainSubset: 12, testSubset: 0, valSplit: 6, seed }).evaluation.images]),
      ),
    );
    expect(others.size).toBeGreaterThan(1);
  });

  it('names the training subset, the value, the allowed range and the fix when a class would be left empty', () => {
    expect(() => checkValSplit(pair.train, { trainSubset: 6, valSplit: 4, seed: 0 })).toThrow(
      /^--val-split 4 leaves a class with no training sample: toy\/train \(--train-subset 6\) has 6 samples in 3 classes, so it allows only 3 .*; fix: use --val-split 3, or 0 for no validation split$/,
    );
    expect(() => checkValSplit(pair.train, { trainSubset: 0, valSplit: 30, seed: 0 })).toThrow(
      /^--val-split 30 is not smaller than the set .*: toy\/train has 30 samples in 3 classes, so it allows 3 to 27 /,
    );
    expect(() => checkValSplit(pair.train, { trainSubset: 0, valSplit: 0, seed: 0 })).not.toThrow();
  });
});

describe('dp report on validation runs', () => {
  const run = (config: Record<string, unknown>, accuracy: number): RunSummary =>
    ({
      config: { ...DEFAULTS, ...config },
      finalAccuracy: accuracy,
      trainingSeconds: 10,
      scoringSeconds: 0,
      trainedFraction: config.policy === 'full' ? 1 : 0.5,
      epochs: [],
      selection: { histogram: [0, 1], flippedShare: 0.5 },
    }) as unknown as RunSummary;
  const head = (runs: RunSummary[]) => comparisonTable(runs).split('\n')[0]!;

  it('labels the accuracy column by what the runs were evaluated on, and never compares the two kinds', () => {
    const test = [run({}, 0.9), run({ policy: 'ucb', pruneRatio: 0.5 }, 0.89)];
    const val = [run({ valSplit: 5000 }, 0.91), run({ policy: 'ucb', pruneRatio: 0.5, valSplit: 5000 }, 0.9)];
    // Results recorded before valSplit existed have no such field: the test set.
    const { valSplit: _v, ...old } = DEFAULTS;
    expect(head([{ ...test[0]!, config: old } as unknown as RunSummary])).toContain('| test acc (%) |');
    expect(head(val)).toContain('| validation acc (%) |');
    expect(head([...test, ...val])).toContain('| test / validation acc (%) |');
    // Separate settings: each ucb run is compared with the full-data run evaluated on the same kind of set.
    const ms = summarize([...test, ...val]).filter((m) => m.policy === 'ucb');
    expect(ms.map((m) => m.accuracyChange!.toFixed(2)).sort()).toEqual(['-1.00', '-1.00']);
  });
});
