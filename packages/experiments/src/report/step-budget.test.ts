import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { pairedRows } from './paired-table.js';
import { stepBudgetNotes } from './step-budget.js';
import { summarize } from './summarize.js';

function run(config: Record<string, unknown>, accuracy: number): RunSummary {
  return {
    config: { ...DEFAULTS, ...config },
    finalAccuracy: accuracy,
    trainingSeconds: 10,
    scoringSeconds: 0,
    samplesTrained: 1000,
    trainedFraction: 1,
    epochs: [],
    selection: { histogram: [0, 1], flippedShare: 0 },
  } as unknown as RunSummary;
}

/** Full data (8 epochs) and equal steps @ 0.5 (4 epochs) per seed, with the given final accuracies. */
function protocol(full: readonly number[], equal: readonly number[]): RunSummary[] {
  return [
    ...full.map((a, seed) => run({ epochs: 8, seed }, a)),
    ...equal.map((a, seed) => run({ epochs: 4, seed, equalSteps: { epochs: 8, pruneRatio: 0.5 } }, a)),
    ...full.map((a, seed) => run({ epochs: 8, seed, policy: 'random', pruneRatio: 0.5 }, a - 0.004)),
  ];
}
const notes = (rs: RunSummary[]) => stepBudgetNotes(pairedRows(summarize(rs)));

describe('stepBudgetNotes', () => {
  it('calls a protocol step-limited only when equal steps is resolved below full data', () => {
    const limited = notes(protocol([0.88, 0.885, 0.879], [0.875, 0.879, 0.873]));
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatch(
      /equal steps @ 0\.5 .*: -0\.57 \[-0\.\d\d, -0\.\d\d\] points against full data \(3 seeds\)/,
    );
    expect(limited[0]).toMatch(/step-limited at 0\.5 .* beats equal steps by about 0\.57 points/);
    const level = notes(protocol([0.9, 0.91, 0.92], [0.901, 0.905, 0.921]));
    expect(level[0]).toMatch(/No step limit resolved at 0\.5/);
    const over = notes(protocol([0.9, 0.91, 0.92], [0.905, 0.914, 0.926]));
    expect(over[0]).toMatch(/Fewer steps help here \(full data over-trains\)/);
  });

  it('gives one seed as a hint, not a verdict', () => {
    expect(notes(protocol([0.8813], [0.8753]))[0]).toMatch(
      /-0\.60 points against full data on one seed: the protocol looks step-limited at 0\.5,.*\(not resolved: run more seeds\)/,
    );
    expect(notes(protocol([0.8813], [0.8803]))[0]).toMatch(/look enough on this protocol .*not resolved/);
  });

  it('says nothing without both full data and equal steps, and one note per equal-steps ratio', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 4 }), (accs) => {
        expect(notes(accs.map((a, seed) => run({ epochs: 8, seed }, a)))).toEqual([]);
        const equalOnly = accs.map((a, seed) =>
          run({ epochs: 4, seed, equalSteps: { epochs: 8, pruneRatio: 0.5 } }, a),
        );
        expect(notes(equalOnly)).toEqual([]);
        const both = notes(
          protocol(
            accs,
            accs.map((a) => a - 0.01),
          ),
        );
        expect(both).toHaveLength(1);
        expect(both[0]).not.toMatch(/NaN|undefined/);
      }),
    );
  });
});
