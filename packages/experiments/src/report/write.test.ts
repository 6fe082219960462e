import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { summarize } from './summarize.js';
import { plots } from './write.js';

/** A finished run of 3 epochs with a per-epoch accuracy curve. */
function run(config: Record<string, unknown>, accuracy: number, seconds: number): RunSummary {
  const full = !config.policy || config.policy === 'full';
  return {
    config: { ...DEFAULTS, epochs: 3, ...config },
    finalAccuracy: accuracy,
    trainingSeconds: seconds,
    scoringSeconds: 0,
    trainedFraction: full ? 1 : 0.4,
    epochs: [0, 1, 2].map((epoch) => ({
      epoch,
      samples: 100,
      trainLoss: 1,
      trainAccuracy: 0.5,
      testAccuracy: accuracy - (2 - epoch) * 0.01,
      trainingSeconds: seconds / 3,
      selectionHash: '0',
    })),
    selection: { histogram: full ? [0, 0, 0, 1] : [0.2, 0.3, 0.3, 0.2], flippedShare: full ? 0 : 0.7 },
  } as unknown as RunSummary;
}

/** Every legend entry of an SVG chart: [label, colour]. */
const legend = (svg: string) =>
  [
    ...svg.matchAll(
      /<line [^>]*stroke="(#[0-9a-f]+)" stroke-width="3"[^>]*\/>(?:<circle [^>]*\/>)?<text [^>]*>([^<]+)<\/text>/g,
    ),
  ].map((m) => [m[2]!, m[1]!] as const);

describe('report plots', () => {
  it('give each method one colour in every plot', () => {
    const runs = [0, 1].flatMap((seed) => [
      run({ seed }, 0.9, 100),
      run({ seed, policy: 'random', pruneRatio: 0.5 }, 0.88, 50),
      run({ seed, policy: 'random', pruneRatio: 0.7 }, 0.86, 30),
      run({ seed, policy: 'ucb', pruneRatio: 0.5 }, 0.87, 52),
      run({ seed, policy: 'ucb', pruneRatio: 0.7 }, 0.85, 31),
    ]);
    const figs = plots(summarize(runs));
    expect(figs.map((f) => f.id)).toEqual([
      'accuracy-vs-cost',
      'accuracy-vs-ratio',
      'accuracy-per-epoch',
      'selection-histogram',
      'selection-flips',
    ]);
    const colourOf = new Map<string, string>();
    let seen = 0;
    for (const f of figs.filter((f) => f.id !== 'selection-flips')) {
      for (const [label, colour] of legend(f.svg)) {
        const method = label.replace(/ @ .*$/, '');
        expect([f.id, method, colourOf.get(method) ?? colour]).toEqual([f.id, method, colour]);
        colourOf.set(method, colour);
        seen++;
      }
    }
    expect(seen).toBe(5 + 3 + 5 + 4);
    expect(new Set(colourOf.values()).size).toBe(3); // full data, random, ucb: three colours
    // The flip bars are not methods: they take none of the methods' colours.
    for (const [, colour] of legend(figs.find((f) => f.id === 'selection-flips')!.svg))
      expect([...colourOf.values()]).not.toContain(colour);
  });

  it('leave out what one run cannot show: no ratio axis of one ratio, no one-point comparison, no error bars', () => {
    const errorBars = /stroke-width="1.5"/;
    // Full data alone, one seed: only its accuracy curve.
    const alone = plots(summarize([run({}, 0.9, 100)]));
    expect(alone.map((f) => f.id)).toEqual(['accuracy-per-epoch']);
    // Full data and one method at one ratio, one seed: no ratio plot, no error bars anywhere, and the caption says why.
    const pair = plots(summarize([run({}, 0.9, 100), run({ policy: 'random', pruneRatio: 0.5 }, 0.88, 50)]));
    expect(pair.map((f) => f.id)).toEqual([
      'accuracy-vs-cost',
      'accuracy-per-epoch',
      'selection-histogram',
      'selection-flips',
    ]);
    for (const f of pair) expect(f.svg, f.id).not.toMatch(errorBars);
    expect(pair[0]!.caption).toMatch(/One seed per method, so no error bars/);
    // One epoch: no curve to draw either.
    const short = plots(summarize([{ ...run({ epochs: 1 }, 0.9, 100), epochs: [] } as unknown as RunSummary]));
    expect(short).toEqual([]);
    // Two seeds: error bars, and the ratio plot's full-data line spans only the ratios that were run.
    const two = plots(
      summarize(
        [0, 1].flatMap((seed) => [
          run({ seed }, 0.9 + seed / 100, 100),
          run({ seed, policy: 'random', pruneRatio: 0.5 }, 0.88 + seed / 100, 50),
          run({ seed, policy: 'random', pruneRatio: 0.7 }, 0.86 + seed / 100, 30),
        ]),
      ),
    );
    expect(two.find((f) => f.id === 'accuracy-vs-cost')!.svg).toMatch(errorBars);
    const ratio = two.find((f) => f.id === 'accuracy-vs-ratio')!.svg;
    expect(
      [...ratio.matchAll(/text-anchor="middle" font-size="11">([\d.]+)<\/text>/g)].map((m) => Number(m[1])),
    ).not.toContain(0);
  });
});
