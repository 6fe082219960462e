import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { ratioTables } from './pivot.js';
import { summarize } from './summarize.js';

function run(config: Record<string, unknown>, accuracy: number, seconds: number, trainedFraction: number): RunSummary {
  return {
    config: { ...DEFAULTS, ...config },
    finalAccuracy: accuracy,
    trainingSeconds: seconds,
    scoringSeconds: 0,
    trainedFraction,
    epochs: [],
    selection: { histogram: [0, 1], flippedShare: 0.5 },
  } as unknown as RunSummary;
}

describe('ratioTables', () => {
  it('puts each method on one row and each prune ratio in one column, with speed-up, off-ratio budgets and odd seed counts', () => {
    const runs = [
      run({ policy: 'full', seed: 0 }, 0.9, 100, 1),
      run({ policy: 'full', seed: 1 }, 0.92, 100, 1),
      run({ policy: 'ucb', pruneRatio: 0.5, seed: 0 }, 0.89, 50, 0.5),
      run({ policy: 'ucb', pruneRatio: 0.5, seed: 1 }, 0.89, 50, 0.5),
      run({ policy: 'ucb', pruneRatio: 0.7, seed: 0 }, 0.88, 25, 0.3),
      run({ policy: 'infobatch', pruneRatio: 0.7, seed: 0 }, 0.905, 60, 0.572),
      run({ policy: 'infobatch', pruneRatio: 0.7, seed: 1 }, 0.915, 60, 0.572),
      run({ policy: 'ucb', pruneRatio: 0.5, seed: 0, epochs: 9 }, 0.8, 10, 0.5), // another setting: its own table
    ];
    const tables = ratioTables(summarize(runs));
    expect(tables.map((t) => t.title)).toEqual([
      'fashion-mnist / cnn-small · 3 epochs',
      'fashion-mnist / cnn-small · 9 epochs',
    ]);
    const lines = tables[0]!.table.split('\n').map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
    expect(lines[0]).toEqual(['method', 'full data', '@ 0.5', '@ 0.7']);
    const row = (name: string) => lines.find((l) => l[0] === name)!;
    expect(row('full data')).toEqual(['full data', '91.00 ± 1.41', '', '']);
    expect(row('ucb')).toEqual(['ucb', '', '89.00 ± 0.00 · 2.00×', '88.00 · 4.00× · 1 seed']);
    expect(row('infobatch')).toEqual(['infobatch', '', '', '91.00 ± 0.71 · 1.67× · 57% data']);
    // Without a full-data run there is no speed-up and no full-data column.
    expect(tables[1]!.table.split('\n')[0]).toMatch(/^\| method +\| @ 0\.5 +\|$/);
    expect(tables[1]!.table).toMatch(/\| ucb +\| 80\.00 +\|/);
  });
});
