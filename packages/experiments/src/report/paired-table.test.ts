import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { formatDifference, pairedResolution, pairedRows, pairedSection } from './paired-table.js';
import { summarize } from './summarize.js';

function run(config: Record<string, unknown>, accuracy: number, seconds = 10, trainedFraction = 1): RunSummary {
  return {
    config: { ...DEFAULTS, ...config },
    finalAccuracy: accuracy,
    trainingSeconds: seconds,
    scoringSeconds: 0,
    samplesTrained: 1000,
    trainedFraction,
    epochs: [],
    selection: { histogram: [0, 1], flippedShare: 0 },
  } as unknown as RunSummary;
}

/** Cells of a Markdown table's rows (header first, rule dropped). */
const cells = (table: string) =>
  table
    .split('\n')
    .filter((_, i) => i !== 1)
    .map((l) =>
      l
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );

// Fashion-MNIST-like: 4 epochs; equal steps @ 0.5 = full data for 2 epochs.
const runs = [
  ...[0, 1, 2].map((seed) => run({ epochs: 4, seed }, [0.9, 0.91, 0.92][seed]!, 100)),
  ...[0, 1, 2].map(
    (seed) =>
      ({
        ...run({ epochs: 2, seed, equalSteps: { epochs: 4, pruneRatio: 0.5 } }, [0.895, 0.905, 0.915][seed]!, 50),
        trainedFraction: 1,
      }) as RunSummary,
  ),
  ...[0, 1].map((seed) => run({ epochs: 4, seed, policy: 'random', pruneRatio: 0.5 }, [0.89, 0.895][seed]!, 50, 0.5)),
  ...[0, 1, 2].map((seed) =>
    run({ epochs: 4, seed, policy: 'ucb', pruneRatio: 0.5 }, [0.9, 0.91, 0.92][seed]!, 50, 0.5),
  ),
  run({ epochs: 4, seed: 0, policy: 'ucb', pruneRatio: 0.7 }, 0.88, 30, 0.3),
];

describe('the paired table', () => {
  it('pairs each method by seed with full data, equal steps and random at its ratio', () => {
    const [group] = pairedRows(summarize(runs));
    const row = (label: string) => group!.rows.find((r) => r.method.label === label)!;
    const ucb = row('ucb @ 0.5');
    // ucb equals full data seed by seed: a zero-width interval at 0.
    expect(typeof ucb.vsFull === 'object' && ucb.vsFull.interval!.map((x) => Math.abs(x))).toEqual([0, 0]);
    // against equal steps: +0.5 pp on each of the 3 seeds
    expect(typeof ucb.vsEqualSteps === 'object' && [ucb.vsEqualSteps.seeds, 100 * ucb.vsEqualSteps.mean]).toEqual([
      [0, 1, 2],
      expect.closeTo(0.5, 9),
    ]);
    // against random: only seeds 0 and 1 pair (random has no seed 2)
    expect(typeof ucb.vsRandom === 'object' && ucb.vsRandom.seeds).toEqual([0, 1]);
    expect(row('full data').vsEqualSteps).toBeUndefined();
    expect(row('equal steps @ 0.5').vsEqualSteps).toBeUndefined();
    expect(row('random @ 0.5').vsRandom).toBeUndefined();
    // ucb @ 0.7: one seed, and no equal steps or random at 0.7
    const single = row('ucb @ 0.7');
    expect(typeof single.vsFull === 'object' && single.vsFull.interval).toBeUndefined();
    expect(single.vsEqualSteps).toBeUndefined();
  });

  it('renders the rows with intervals, pair counts, and says where there is no interval', () => {
    const { tables, resolution } = pairedSection(summarize(runs));
    expect(tables.map((t) => t.title)).toEqual(['fashion-mnist / cnn-small · 4 epochs']);
    const [head, ...body] = cells(tables[0]!.table);
    expect(head).toEqual([
      'method',
      'ratio',
      'seeds',
      'data trained',
      'final acc (%)',
      'Δ vs full, pp [95% CI] (pairs)',
      'Δ vs equal steps (same ratio)',
      'Δ vs random (same ratio)',
      'speed-up',
    ]);
    const row = (name: string, ratio: string) => body.find((r) => r[0] === name && r[1] === ratio)!;
    expect(row('full data', '–')).toEqual(['full data', '–', '3', '100.0%', '91.00 ± 1.00', '–', '–', '–', '1.00×']);
    // equal steps: 2 of 4 epochs' data; 0.5 pp below full on every seed (an interval of width 0 that excludes 0)
    expect(row('equal steps', '0.5')).toEqual([
      'equal steps',
      '0.5',
      '3',
      '50.0%',
      '90.50 ± 1.00',
      '-0.50 [-0.50, -0.50] (3)*',
      '–',
      '+0.75 [-2.43, +3.93] (2)',
      '2.00×',
    ]);
    expect(row('ucb', '0.5')!.slice(5, 8)).toEqual([
      '+0.00 [+0.00, +0.00] (3)',
      '+0.50 [+0.50, +0.50] (3)*',
      '+1.25 [-1.93, +4.43] (2)',
    ]);
    expect(row('ucb', '0.7')).toEqual([
      'ucb',
      '0.7',
      '1',
      '30.0%',
      '88.00 (1 seed: no std)',
      '-2.00 (1 pair: no CI)',
      'not run',
      'not run',
      '3.33×',
    ]);
    expect(resolution).toMatch(
      /^With n = 2 paired seeds \(most intervals; 2, 3 occur\), a 95% interval reaches ± t\(0\.975, 1\) \/ √2 = ± 8\.98 standard deviations/,
    );
    expect(resolution).toMatch(/An interval that contains 0 cannot tell the two methods apart/);
    expect(resolution).toMatch(/which 2 of the 7 intervals here do/);
  });

  it('says so instead of inventing intervals when no comparison has 2 seeds', () => {
    const one = summarize([run({ seed: 0 }, 0.9), run({ seed: 0, policy: 'random', pruneRatio: 0.5 }, 0.88, 5, 0.5)]);
    const { tables, resolution } = pairedSection(one);
    expect(resolution).toMatch(
      /^No comparison here pairs 2 or more seeds, so there are no confidence intervals \(a single seed gives a difference, not an interval\)/,
    );
    expect(cells(tables[0]!.table)[2]!.slice(4, 6)).toEqual(['88.00 (1 seed: no std)', '-2.00 (1 pair: no CI)']);
    expect(pairedResolution([])).toMatch(
      /^No comparison here pairs 2 or more seeds, so there are no confidence intervals:/,
    );
  });

  it('formats a difference in percentage points, marking intervals that exclude 0', () => {
    expect(
      formatDifference(
        { seeds: [0, 1, 2], mean: -0.0041, sd: 0.002, halfWidth: 0.0049, interval: [-0.009, 0.0008] },
        false,
      ),
    ).toBe('-0.41 [-0.90, +0.08] (3)');
    expect(
      formatDifference({ seeds: [0, 1], mean: 0.01, sd: 0.001, halfWidth: 0.002, interval: [0.008, 0.012] }, false),
    ).toBe('+1.00 [+0.80, +1.20] (2)*');
    expect(formatDifference('none', false)).toBe('no common seed');
    expect(formatDifference(undefined, true)).toBe('–');
    expect(formatDifference(undefined, false)).toBe('not run');
  });

  it("writes README tables' style: Unicode minus, the pair count only when fewer seeds paired", () => {
    const three = {
      seeds: [0, 1, 2],
      mean: -0.0041,
      sd: 0.002,
      halfWidth: 0.0049,
      interval: [-0.009, 0.0008] as [number, number],
    };
    const readme = { seeds: 3, unicodeMinus: true };
    expect(formatDifference(three, false, readme)).toBe('\u22120.41 [\u22120.90, +0.08]');
    expect(formatDifference({ ...three, seeds: [0, 1], interval: [-0.009, -0.001] }, false, readme)).toBe(
      '\u22120.41 [\u22120.90, \u22120.10]* (2 seeds)',
    );
    expect(formatDifference({ seeds: [1], mean: 0.0012, sd: NaN }, false, readme)).toBe('+0.12 (1 seed)');
    expect(formatDifference({ seeds: [1], mean: 0.0012, sd: NaN }, false, { seeds: 1 })).toBe('+0.12');
    expect(formatDifference({ seeds: [1], mean: -0.0012, sd: NaN }, false)).toBe('-0.12 (1 pair: no CI)');
  });
});
