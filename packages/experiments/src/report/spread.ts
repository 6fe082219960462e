import type { RunSummary } from '../run/summary.js';
import { markdownTable, prunes, settingName, type MethodSummary } from './summarize.js';

/**
 * How often each sample was selected over a run, in five bands: never, rarely (in at most 10% of the epochs), sometimes,
 * mostly (in at least 90%, not all) and always. This is the seed paper's "sometimes samples" question asked
 * directly: the flip share saturates at 100% on long runs, while the bands show whether a policy keeps a core of
 * samples, drops others, or spreads its budget the way uniformly random subsets of the same sizes would.
 */
export interface SelectionSpread {
  never: number;
  rarely: number;
  sometimes: number;
  mostly: number;
  always: number;
}

export const SPREAD_BANDS = ['never', 'rarely', 'sometimes', 'mostly', 'always'] as const;

/** The band of a sample selected in `k` of `epochs` epochs. */
export function bandOf(k: number, epochs: number): (typeof SPREAD_BANDS)[number] {
  if (k <= 0) return 'never';
  if (k >= epochs) return 'always';
  if (k <= 0.1 * epochs) return 'rarely';
  if (k >= 0.9 * epochs) return 'mostly';
  return 'sometimes';
}

/** Bands of a histogram whose entry k is the share (or count) of samples selected in exactly k epochs; shares sum to 1. */
export function spreadOf(histogram: readonly number[], epochs: number): SelectionSpread {
  const out: SelectionSpread = { never: 0, rarely: 0, sometimes: 0, mostly: 0, always: 0 };
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total <= 0) return out;
  histogram.forEach((v, k) => {
    out[bandOf(k, epochs)] += v / total;
  });
  return out;
}

/**
 * The histogram uniformly random subsets would give: entry k is the probability that a sample is selected in exactly
 * k epochs when epoch e draws a share `fractions[e]` of the data at random (a Poisson-binomial distribution).
 */
export function chanceHistogram(fractions: readonly number[]): Float64Array {
  let p = new Float64Array(fractions.length + 1);
  p[0] = 1;
  fractions.forEach((raw, e) => {
    const f = Math.min(1, Math.max(0, raw));
    const next = new Float64Array(fractions.length + 1);
    for (let k = 0; k <= e; k++) {
      const v = p[k]!;
      if (v === 0) continue;
      next[k]! += v * (1 - f);
      next[k + 1]! += v * f;
    }
    p = next;
  });
  return p;
}

/** A run's share of the data trained in each epoch (samples / training-set size). */
export function epochFractions(r: RunSummary): number[] {
  const size = r.trainedFraction > 0 ? r.samplesTrained / (r.config.epochs * r.trainedFraction) : 0;
  return r.epochs.map((e) => (size > 0 ? e.samples / size : 0));
}

/** Measured and chance bands of a method, averaged over its runs (seeds). */
export function methodSpread(
  runs: readonly RunSummary[],
  epochs: number,
): { measured: SelectionSpread; chance: SelectionSpread } {
  const measured: SelectionSpread = { never: 0, rarely: 0, sometimes: 0, mostly: 0, always: 0 };
  const chance: SelectionSpread = { never: 0, rarely: 0, sometimes: 0, mostly: 0, always: 0 };
  for (const r of runs) {
    const m = spreadOf(r.selection.histogram, epochs);
    const c = spreadOf([...chanceHistogram(epochFractions(r))], epochs);
    for (const b of SPREAD_BANDS) {
      measured[b] += m[b] / runs.length;
      chance[b] += c[b] / runs.length;
    }
  }
  return { measured, chance };
}

/** What the spread table shows (printed above it). */
export const SPREAD_KEY =
  'Share of the training samples selected in: no epoch; at most 10% of the epochs; between 10% and 90%; at least 90% (not all); every epoch. In brackets: the same for uniformly random subsets of the sizes this method trained, epoch by epoch (mean over seeds).';

/** The spread of every pruning method as a Markdown table ('' when the report has none). */
export function spreadTable(ms: readonly MethodSummary[]): string {
  const pruned = ms.filter(prunes);
  if (!pruned.length) return '';
  const cell = (x: number, c: number) => `${(100 * x).toFixed(1)}% (${(100 * c).toFixed(1)}%)`;
  const rows = pruned.map((m) => {
    const { measured, chance } = methodSpread(m.runs, m.epochs);
    return [m.label, settingName(m), ...SPREAD_BANDS.map((b) => cell(measured[b], chance[b]))];
  });
  return markdownTable(
    ['method', 'dataset / model', 'never', '≤ 10% of epochs', '10–90%', '≥ 90%', 'every epoch'],
    rows,
  );
}
