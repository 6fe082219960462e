import { roleOf, type MethodRole } from '../config/methods.js';
import { pairedDifference, seedsToResolve, type PairedDifference } from './paired.js';
import { isFullData, markdownTable, methodName, settingName, type MethodSummary } from './summarize.js';
import { tQuantile975 } from './t-quantile.js';

/** The difference the report's statistics are asked to resolve, in percentage points. */
export const TARGET_PP = 0.3;

/** One method of a setting with its paired differences (final test accuracy, this − baseline) to the three baselines. */
export interface PairedRow {
  method: MethodSummary;
  /** Against full data; undefined for full data itself or without a full-data run (likewise below). */
  vsFull?: PairedDifference | 'none';
  /** Against the equal-steps baseline at the same ratio. */
  vsEqualSteps?: PairedDifference | 'none';
  /** Against uniform random (default options) at the same ratio. */
  vsRandom?: PairedDifference | 'none';
}

/** Seed → final test accuracy of a method's runs. */
function accuracyBySeed(m: MethodSummary): Map<number, number> {
  return new Map(m.runs.map((r) => [r.config.seed, r.finalAccuracy]));
}

function against(m: MethodSummary, baseline: MethodSummary | undefined): PairedDifference | 'none' | undefined {
  if (!baseline) return undefined;
  if (baseline === m) return undefined;
  return pairedDifference(accuracyBySeed(m), accuracyBySeed(baseline)) ?? 'none';
}

/** The title of a setting's table: dataset / model · epochs (and what else sets it apart). */
function settingTitle(m: MethodSummary): string {
  return `${m.dataset} / ${m.model} · ${/\d epochs/.test(m.settingLabel) ? m.settingLabel : `${m.epochs} epochs${m.settingLabel ? `, ${m.settingLabel}` : ''}`}`;
}

/**
 * Every method of each setting (in the order of `ms`) with its paired differences to full data, to the equal-steps
 * baseline at its ratio and to uniform random at its ratio (a baseline is left out where it is the method itself or
 * was not run).
 */
export function pairedRows(ms: readonly MethodSummary[]): { title: string; rows: PairedRow[] }[] {
  const settings = new Map<string, MethodSummary[]>();
  for (const m of ms) settings.set(settingName(m), [...(settings.get(settingName(m)) ?? []), m]);
  return [...settings.values()].map((group) => {
    const full = group.find(isFullData);
    const at = (role: MethodRole, ratio: number) =>
      group.find((b) => roleOf(b.policy) === role && b.pruneRatio === ratio && !Object.keys(b.options).length);
    const rows = group.map((m) => {
      const row: PairedRow = { method: m };
      const vsFull = against(m, full);
      if (vsFull) row.vsFull = vsFull;
      if (!isFullData(m)) {
        const vsEqual = against(m, at('matched-steps', m.pruneRatio));
        const vsRandom = against(m, at('uniform', m.pruneRatio));
        if (vsEqual) row.vsEqualSteps = vsEqual;
        if (vsRandom) row.vsRandom = vsRandom;
      }
      return row;
    });
    return { title: settingTitle(group[0]!), rows };
  });
}

/** How formatDifference writes a difference: `dp report`'s style by default. */
export interface DifferenceStyle {
  /**
   * The seeds a complete comparison pairs: the pair count is written only when fewer paired, as ' (2 seeds)', and a
   * difference without an interval gets no 'no CI' note (README tables). Default: the count always, as ' (3)'.
   */
  seeds?: number;
  /** Minus signs as U+2212 (README tables). Default: ASCII hyphen-minus. */
  unicodeMinus?: boolean;
}

/**
 * A difference in percentage points: '-0.41 [-0.90, +0.08] (3)*' ('*': the interval excludes 0); with
 * `style.seeds` = 3 and `unicodeMinus`, '−0.41 [−0.90, +0.08]*' for three pairs and '−0.41 [−0.90, +0.08]* (2 seeds)'
 * for two.
 */
export function formatDifference(
  d: PairedDifference | 'none' | undefined,
  self: boolean,
  style: DifferenceStyle = {},
): string {
  if (d === undefined) return self ? '–' : 'not run';
  if (d === 'none') return 'no common seed';
  const signed = (x: number) => `${x >= 0 ? '+' : style.unicodeMinus ? '\u2212' : '-'}${Math.abs(100 * x).toFixed(2)}`;
  const n = d.seeds.length;
  const partial = style.seeds === undefined || n === style.seeds ? '' : ` (${n} ${n === 1 ? 'seed' : 'seeds'})`;
  if (!d.interval) return `${signed(d.mean)}${style.seeds === undefined ? ` (${n} pair: no CI)` : partial}`;
  const [lo, hi] = d.interval;
  const star = lo > 0 || hi < 0 ? '*' : '';
  const count = style.seeds === undefined ? ` (${n})` : '';
  return `${signed(d.mean)} [${signed(lo)}, ${signed(hi)}]${count}${star}${partial}`;
}

/** The rows of one setting as a Markdown table. */
export function pairedTable(rows: readonly PairedRow[]): string {
  const head = [
    'method',
    'ratio',
    'seeds',
    'data trained',
    'final acc (%)',
    'Δ vs full, pp [95% CI] (pairs)',
    'Δ vs equal steps (same ratio)',
    'Δ vs random (same ratio)',
    'speed-up',
  ];
  const body = rows.map(({ method: m, vsFull, vsEqualSteps, vsRandom }) => {
    const n = m.seeds.length;
    return [
      methodName(m),
      isFullData(m) ? '–' : String(m.pruneRatio),
      String(n),
      `${(100 * m.trainedFraction).toFixed(1)}%`,
      n > 1
        ? `${(100 * m.accuracy.mean).toFixed(2)} ± ${(100 * m.accuracy.std).toFixed(2)}`
        : `${(100 * m.accuracy.mean).toFixed(2)} (1 seed: no std)`,
      formatDifference(vsFull, isFullData(m)),
      formatDifference(vsEqualSteps, isFullData(m) || roleOf(m.policy) === 'matched-steps'),
      formatDifference(vsRandom, isFullData(m) || (roleOf(m.policy) === 'uniform' && !Object.keys(m.options).length)),
      m.speedup !== undefined ? `${m.speedup.toFixed(2)}×` : 'n/a',
    ];
  });
  return markdownTable(head, body);
}

/** What the columns mean (printed above the tables). */
export const PAIRED_KEY =
  "Final test accuracy (after the last epoch, not the best one) as mean ± sample std over seeds (n − 1); data trained = samples trained / (epochs × training-set size), as recorded, mean over seeds (for equal steps: of the pruned runs' epochs). " +
  'Δ = this method minus the baseline, in percentage points, paired by seed: only seeds both methods ran pair (their number in brackets); the 95% confidence interval is mean ± t(0.975, n − 1) · sd / √n over the n per-seed differences (Student t). ' +
  "* marks an interval that excludes 0. Equal steps @ r = full data for ⌈(1 − r) · E⌉ of the E epochs (the optimizer steps of a run pruned at r); random = uniform random at the same ratio. Speed-up = full-data training cost / this method's, measured.";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One sentence per report on what the intervals resolve and what they do not, from the intervals it holds. */
export function pairedResolution(groups: readonly { rows: readonly PairedRow[] }[]): string {
  const ds = groups
    .flatMap((g) => g.rows.flatMap((r) => [r.vsFull, r.vsEqualSteps, r.vsRandom]))
    .filter((d): d is PairedDifference => typeof d === 'object');
  const withCi = ds.filter((d) => d.interval);
  if (!withCi.length) {
    const single = ds.length ? ' (a single seed gives a difference, not an interval)' : '';
    return `No comparison here pairs 2 or more seeds, so there are no confidence intervals${single}: these differences cannot be told apart from seed-to-seed noise. Run the methods with more seeds (e.g. --seeds 0,1,2) to get intervals.`;
  }
  const counts = new Map<number, number>();
  for (const d of withCi) counts.set(d.seeds.length, (counts.get(d.seeds.length) ?? 0) + 1);
  const n = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
  const factor = tQuantile975(n - 1) / Math.sqrt(n);
  const halves = withCi.map((d) => 100 * d.halfWidth!);
  const mid = median(halves);
  const excluding = withCi.filter((d) => d.interval![0] > 0 || d.interval![1] < 0).length;
  const sdMid = median(withCi.map((d) => 100 * d.sd));
  const need = seedsToResolve(sdMid, TARGET_PP);
  const ns = [...counts.keys()].sort((a, b) => a - b);
  return (
    `With n = ${n} paired seeds${ns.length > 1 ? ` (most intervals; ${ns.join(', ')} occur)` : ''}, a 95% interval reaches ± t(0.975, ${n - 1}) / √${n} = ± ${factor.toFixed(2)} standard deviations of the per-seed differences; ` +
    `the half-widths here run from ${Math.min(...halves).toFixed(2)} to ${Math.max(...halves).toFixed(2)} pp (median ${mid.toFixed(2)} pp), so a difference much smaller than about ${mid.toFixed(2)} pp is not resolved. ` +
    `An interval that contains 0 cannot tell the two methods apart (it does not show them equal: the true difference may be anywhere in it); one that excludes 0 resolves the sign of the difference, ` +
    `which ${excluding} of the ${withCi.length} intervals here do (each comparison on its own: of ${withCi.length} intervals between methods that did not differ, about ${(withCi.length / 20).toFixed(1)} would exclude 0 by chance). ` +
    (sdMid === 0
      ? `The per-seed differences here do not vary, so their intervals have no width.`
      : `Resolving ${TARGET_PP} pp at the median spread of the differences here (sd ${sdMid.toFixed(2)} pp) would take ${need === undefined ? 'more than 1000' : `about ${need}`} seeds.`)
  );
}

/** The paired-statistics section: per setting a title and a Markdown table, and the sentence on what they resolve. */
export function pairedSection(ms: readonly MethodSummary[]): {
  groups: { title: string; rows: PairedRow[] }[];
  tables: { title: string; table: string }[];
  resolution: string;
} {
  const groups = pairedRows(ms);
  return {
    groups,
    tables: groups.map((g) => ({ title: g.title, table: pairedTable(g.rows) })),
    resolution: pairedResolution(groups),
  };
}
