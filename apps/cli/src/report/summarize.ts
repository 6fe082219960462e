import type { RunSummary } from '../run/run.js';
import { DEFAULTS, NOT_FINGERPRINTED } from '../run/config.js';
import { groupMachineSpeed, relativeMachineSpeed } from './machine.js';

/** Runs of one method (dataset, model, epochs, policy, ratio) aggregated over seeds. */
export interface MethodSummary {
  dataset: string;
  model: string;
  epochs: number;
  policy: string;
  pruneRatio: number;
  label: string;
  seeds: number[];
  accuracy: { mean: number; std: number };
  /** Training cost in seconds, including charged scoring time. */
  cost: { mean: number; std: number };
  trainedFraction: number;
  /** Full-data cost / this cost, measured (undefined without a full-data run in the same setting). */
  speedup?: number;
  /** Mean accuracy minus the full-data mean, in percentage points. */
  accuracyChange?: number;
  flippedShare: number;
  /**
   * Machine speed during these runs relative to the full-data runs of the setting (> 1: faster), from their
   * evaluation passes (see machine.ts); undefined without a full-data run or evaluations.
   */
  machineSpeed?: number;
  /** Cost at the full-data runs' machine speed: training seconds × machine speed + scoring seconds, per run. */
  adjustedCost?: { mean: number; std: number };
  /** Full-data adjusted cost / this adjusted cost. */
  adjustedSpeedup?: number;
  /** Mean test accuracy per epoch (epochs without evaluation are null). */
  accuracyPerEpoch: (number | null)[];
  /** Fraction of samples selected in exactly e epochs, e = 0..epochs (mean over seeds). */
  selectionHistogram: number[];
  runs: RunSummary[];
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

/**
 * What runs must share to be compared: everything but the method (policy, ratio, options, score file), the seed and
 * the fields that change no trained number (NOT_FINGERPRINTED); fields a run predates take their defaults.
 */
function setting(r: RunSummary): string {
  const { policy: _p, pruneRatio: _r, seed: _s, policyOptions: _o, scoreFile: _f, ...rest } = { ...DEFAULTS, ...r.config };
  const kept = Object.entries(rest).filter(([k]) => !NOT_FINGERPRINTED.has(k));
  return JSON.stringify(kept.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * 'full data', 'ucb @ 0.5', 'ucb (c=2) @ 0.5' when policy options are set, or for static methods the score file's
 * name: 'static fashion-mnist-el2n-... @ 0.7'.
 */
export function methodLabel(policy: string, ratio: number, scoreFile = '', options: Record<string, unknown> = {}): string {
  if (policy === 'full') return 'full data';
  if (policy === 'static' && scoreFile) return `static ${scoreFile.replace(/^.*\//, '').replace(/\.dpscore$/, '')} @ ${ratio}`;
  const opts = Object.keys(options)
    .sort()
    .map((k) => `${k}=${String(options[k])}`)
    .join(', ');
  return opts ? `${policy} (${opts}) @ ${ratio}` : `${policy} @ ${ratio}`;
}

/** The method without its ratio: 'ucb (c=2) @ 0.5' -> 'ucb (c=2)'; 'full data' stays. */
export function methodName(m: MethodSummary): string {
  return m.label.replace(/ @ [^@]*$/, '');
}

/** A Markdown table with padded columns (also readable as plain text in a terminal). */
export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Group runs by method and compute means, spreads, speed-ups and accuracy changes against full data. */
export function summarize(runs: RunSummary[]): MethodSummary[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = JSON.stringify([setting(r), r.config.policy, r.config.pruneRatio, r.config.policyOptions, r.config.scoreFile ?? '']);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: MethodSummary[] = [];
  for (const rs of groups.values()) {
    const c = rs[0]!.config;
    const epochs = c.epochs;
    const perEpoch: (number | null)[] = [];
    for (let e = 0; e < epochs; e++) {
      const vals = rs.map((r) => r.epochs.find((x) => x.epoch === e)?.testAccuracy).filter((v): v is number => v !== undefined);
      perEpoch.push(vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null);
    }
    const hist = new Array<number>(epochs + 1).fill(0);
    for (const r of rs) {
      const total = r.selection.histogram.reduce((a, b) => a + b, 0) || 1;
      r.selection.histogram.forEach((v, i) => {
        if (i <= epochs) hist[i]! += v / total / rs.length;
      });
    }
    out.push({
      dataset: c.dataset,
      model: c.model,
      epochs,
      policy: c.policy,
      pruneRatio: c.pruneRatio,
      label: methodLabel(c.policy, c.pruneRatio, c.scoreFile, c.policyOptions),
      seeds: rs.map((r) => r.config.seed),
      accuracy: meanStd(rs.map((r) => r.finalAccuracy)),
      cost: meanStd(rs.map((r) => r.trainingSeconds + r.scoringSeconds)),
      trainedFraction: rs.reduce((a, r) => a + r.trainedFraction, 0) / rs.length,
      flippedShare: rs.reduce((a, r) => a + r.selection.flippedShare, 0) / rs.length,
      accuracyPerEpoch: perEpoch,
      selectionHistogram: hist,
      runs: rs,
    });
  }
  // Each method against the full-data runs of its setting; the full-data summaries first, so that their own
  // adjusted costs exist when the other methods divide by them.
  const withFull = out
    .map((m) => ({ m, full: out.find((f) => f.policy === 'full' && setting(f.runs[0]!) === setting(m.runs[0]!)) }))
    .sort((a, b) => Number(b.m.policy === 'full') - Number(a.m.policy === 'full'));
  for (const { m, full } of withFull) {
    if (!full) continue;
    m.speedup = full.cost.mean / m.cost.mean;
    m.accuracyChange = 100 * (m.accuracy.mean - full.accuracy.mean);
    const speeds = relativeMachineSpeed(m.runs, full.runs);
    if (speeds.every((v) => v !== undefined)) {
      m.machineSpeed = groupMachineSpeed(m.runs, full.runs);
      // Scoring seconds (static methods) were spent apart from the run, at a machine speed the run cannot tell.
      m.adjustedCost = meanStd(m.runs.map((r, i) => r.trainingSeconds * speeds[i]! + r.scoringSeconds));
      if (full.adjustedCost) m.adjustedSpeedup = full.adjustedCost.mean / m.adjustedCost.mean;
    }
  }
  return out.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.model.localeCompare(b.model) || (a.policy === 'full' ? -1 : b.policy === 'full' ? 1 : 0) || a.policy.localeCompare(b.policy) || a.pruneRatio - b.pruneRatio);
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const pm = (m: { mean: number; std: number }, n: number, f: (x: number) => string) => (n > 1 ? `${f(m.mean)} ± ${f(m.std)}` : f(m.mean));

/** The lowest and highest machine speed of any method relative to its full-data run, or undefined if unknown. */
export function machineSpeedRange(ms: MethodSummary[]): [number, number] | undefined {
  const v = ms.map((m) => m.machineSpeed).filter((x): x is number => x !== undefined);
  return v.length ? [Math.min(...v), Math.max(...v)] : undefined;
}

export interface TableOptions {
  /** Add the machine-speed and adjusted speed-up columns (see machine.ts). */
  adjustForMachine?: boolean;
}

/** The comparison of finished runs as a Markdown table (also readable as plain text in a terminal). */
export function comparisonTable(runs: RunSummary[], opts: TableOptions = {}): string {
  return summaryTable(summarize(runs), opts);
}

/** The comparison table of already summarised runs. */
export function summaryTable(ms: MethodSummary[], { adjustForMachine = false }: TableOptions = {}): string {
  const times = (x: number | undefined) => (x !== undefined ? `${x.toFixed(2)}×` : 'n/a');
  const rows = ms.map((m) => [
    m.label,
    `${m.dataset} / ${m.model}`,
    String(m.seeds.length),
    pct(m.trainedFraction),
    pm(m.accuracy, m.seeds.length, (x) => (100 * x).toFixed(2)),
    pm(m.cost, m.seeds.length, (x) => `${x.toFixed(1)} s`),
    times(m.speedup),
    ...(adjustForMachine ? [times(m.machineSpeed), times(m.adjustedSpeedup)] : []),
    m.accuracyChange !== undefined ? `${m.accuracyChange >= 0 ? '+' : ''}${m.accuracyChange.toFixed(2)} pp` : 'n/a',
    m.policy === 'full' ? '–' : pct(m.flippedShare),
  ]);
  const head = ['method', 'dataset / model', 'seeds', 'data trained', 'test acc (%)', 'training cost', 'speed-up', ...(adjustForMachine ? ['machine', 'adj. speed-up'] : []), 'acc change', 'flipped'];
  return markdownTable(head, rows);
}
