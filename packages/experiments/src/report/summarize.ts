import type { RunSummary } from '../run/summary.js';
import { DEFAULTS, NOT_FINGERPRINTED } from '../config/config.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { consumesScoreFile, roleOf } from '../config/methods.js';
import { checkCostModel, pricedRunCost, type CostModel } from '../cost/cost-model.js';
import { groupMachineSpeed, relativeMachineSpeed } from './machine.js';
import { effectiveOptions } from './options.js';

/** Runs of one method (dataset, model, epochs, policy, ratio) aggregated over seeds. */
export interface MethodSummary {
  dataset: string;
  model: string;
  epochs: number;
  policy: string;
  pruneRatio: number;
  label: string;
  /** Policy options that differ from the policy's defaults (what tells this method apart). */
  options: Record<string, unknown>;
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
   * The share that would flip by chance: 1 − Π f_e − Π (1 − f_e) with f_e the share trained in epoch e, i.e. if
   * every epoch drew its subset uniformly at random with the same sizes (mean over seeds).
   */
  flipChance: number;
  /** What sets this method's setting apart from the other settings of its dataset / model in the report ('' if none). */
  settingLabel: string;
  /**
   * Machine speed during these runs relative to the full-data runs of the setting (> 1: faster), from their
   * evaluation passes (see machine.ts); undefined without a full-data run or evaluations.
   */
  machineSpeed?: number;
  /** Cost at the full-data runs' machine speed: training seconds × machine speed + scoring seconds, per run. */
  adjustedCost?: { mean: number; std: number };
  /** Full-data adjusted cost / this adjusted cost. */
  adjustedSpeedup?: number;
  /** Mean cost of the runs priced at one machine speed with a cost model (cost/cost-model.ts), when one is given. */
  pricedCost?: number;
  /** Full-data priced cost / this priced cost: the speed-up at one machine speed. */
  pricedSpeedup?: number;
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
  const {
    policy: _p,
    pruneRatio: _r,
    seed: _s,
    policyOptions: _o,
    scoreFile: _f,
    equalSteps: _e,
    ...rest
  } = { ...DEFAULTS, ...r.config };
  const kept = Object.entries(rest).filter(([k]) => !NOT_FINGERPRINTED.has(k));
  return JSON.stringify(kept.sort(([a], [b]) => a.localeCompare(b)));
}

/** The setting's fields as [name, value] pairs (setting() parsed back). */
function settingFields(key: string): [string, unknown][] {
  return JSON.parse(key) as [string, unknown][];
}

/**
 * For each setting key, the fields whose values differ between the settings of one dataset / model, e.g.
 * '30 epochs' beside '80 epochs', 'lr=0.1' ('' where a dataset / model has a single setting).
 */
function settingLabels(keys: string[]): Map<string, string> {
  const byModel = new Map<string, string[]>();
  for (const k of new Set(keys)) {
    const f = Object.fromEntries(settingFields(k));
    const dm = `${String(f.dataset)}/${String(f.model)}`;
    byModel.set(dm, [...(byModel.get(dm) ?? []), k]);
  }
  const out = new Map<string, string>();
  for (const group of byModel.values()) {
    const fields = group.map((k) => new Map(settingFields(k).map(([n, v]) => [n, JSON.stringify(v)])));
    const varying = [...fields[0]!.keys()].filter((n) => fields.some((f) => f.get(n) !== fields[0]!.get(n)));
    const show = (n: string, v: string) => (n === 'epochs' ? `${v} epochs` : `${n}=${v.replace(/^"(.*)"$/, '$1')}`);
    group.forEach((k, i) => out.set(k, varying.map((n) => show(n, fields[i]!.get(n)!)).join(', ')));
  }
  return out;
}

/**
 * An equal-steps run as the method it stands for: the equal-steps method at ratio r in the setting of the pruned runs
 * of E epochs it matches in steps (so it is compared with those and with their full-data run), its share of the data
 * trained counted against E epochs (samples trained / (E·N)). Other runs are returned as they are.
 */
export function asMethodRun(r: RunSummary): RunSummary {
  const of = r.config.equalSteps;
  if (!of) return r;
  return {
    ...r,
    config: { ...r.config, policy: EQUAL_STEPS, pruneRatio: of.pruneRatio, epochs: of.epochs, equalSteps: null },
    trainedFraction: (r.trainedFraction * r.config.epochs) / of.epochs,
  };
}

/** Whether a method selects a subset of the data (not full data or the equal-steps baseline, which train it all). */
export function prunes(m: { policy: string }): boolean {
  return !isFullData(m) && roleOf(m.policy) !== 'matched-steps';
}

/** Whether a method is the full-data reference of its setting (its policy declares `baseline: true`). */
export function isFullData(m: { policy: string }): boolean {
  return roleOf(m.policy) === 'full-data';
}

/** 1 − Π f_e − Π (1 − f_e): the share of samples a uniform random choice of these per-epoch shares would flip. */
function flipChance(r: RunSummary): number {
  // N = samples trained / (trainedFraction · the config's epochs), as trainedFraction was defined.
  const n =
    r.trainedFraction > 0 && r.epochs.length
      ? r.epochs.reduce((a, e) => a + e.samples, 0) / (r.trainedFraction * r.config.epochs)
      : 0;
  if (!(n > 0)) return 0;
  let allIn = 1;
  let allOut = 1;
  for (const e of r.epochs) {
    const f = Math.min(1, e.samples / n);
    allIn *= f;
    allOut *= 1 - f;
  }
  return 1 - allIn - allOut;
}

/**
 * 'full data', 'ucb @ 0.5', 'ucb (c=2) @ 0.5' when policy options are set, or for static methods the score file's
 * name: 'static fashion-mnist-el2n-... @ 0.7'.
 */
export function methodLabel(
  policy: string,
  ratio: number,
  scoreFile = '',
  options: Record<string, unknown> = {},
  fullPath = false,
): string {
  if (roleOf(policy) === 'full-data') return 'full data';
  if (roleOf(policy) === 'matched-steps') return `equal steps @ ${ratio}`;
  const opts = Object.keys(options)
    .sort()
    .map((k) => `${k}=${String(options[k])}`)
    .join(', ');
  const name =
    consumesScoreFile(policy) && scoreFile
      ? `${policy} ${(fullPath ? scoreFile : scoreFile.replace(/^.*\//, '')).replace(/\.dpscore$/, '')}`
      : policy;
  return opts ? `${name} (${opts}) @ ${ratio}` : `${name} @ ${ratio}`;
}

/** Options in label order: by key, values numerically where both are numbers (0.05 before 0.1). */
function compareOptions(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const byKey = ka[i]!.localeCompare(kb[i]!);
    if (byKey) return byKey;
    const [x, y] = [a[ka[i]!], b[kb[i]!]];
    const byValue = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    if (byValue) return byValue;
  }
  return ka.length - kb.length;
}

/** The method without its ratio: 'ucb (c=2) @ 0.5' -> 'ucb (c=2)'; 'full data' stays. */
export function methodName(m: MethodSummary): string {
  return m.label.replace(/ @ [^@]*$/, '');
}

/** 'dataset / model', plus what sets its setting apart when the report holds several ('· 80 epochs'). */
export function settingName(m: MethodSummary): string {
  return `${m.dataset} / ${m.model}${m.settingLabel ? ` · ${m.settingLabel}` : ''}`;
}

/**
 * A Markdown table with padded columns (also readable as plain text in a terminal). A `|` inside a cell is
 * escaped as `\|` (Markdown's own escape), so a label cannot shift the columns.
 */
export function markdownTable(head: string[], cells: string[][]): string {
  const rows = cells.map((r) => r.map((c) => c.replace(/\|/g, '\\|')));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Group runs by method and compute means, spreads, speed-ups and accuracy changes against full data. */
export function summarize(
  given: RunSummary[],
  {
    onWarning = () => {},
    costModel,
  }: {
    onWarning?: (message: string) => void;
    /** Price every run with this cost model (`pricedCost`, `pricedSpeedup`); runs of another protocol are refused. */
    costModel?: CostModel;
  } = {},
): MethodSummary[] {
  if (costModel) checkCostModel(costModel, given);
  const runs = given.map(asMethodRun);
  // Runs of one method: same setting, policy, ratio, score file and effective options (an option spelled out at its
  // default value, e.g. epsilon=0.1, is the same method as the default). One run per seed: a repeat of a seed is
  // the same experiment again, so the last one read stands for it.
  const groups = new Map<string, Map<number, RunSummary>>();
  let repeats = 0;
  for (const r of runs) {
    const options = Object.entries(effectiveOptions(r.config.policy, r.config.policyOptions ?? {})).sort(([x], [y]) =>
      x.localeCompare(y),
    );
    const key = JSON.stringify([setting(r), r.config.policy, r.config.pruneRatio, options, r.config.scoreFile ?? '']);
    const bySeed = groups.get(key) ?? new Map<number, RunSummary>();
    if (bySeed.has(r.config.seed)) repeats++;
    bySeed.set(r.config.seed, r);
    groups.set(key, bySeed);
  }
  if (repeats)
    onWarning(
      `${repeats} run(s) repeat the seed of a run with the same effective settings (options at their defaults count as unset); the last one read is used`,
    );
  const grouped = [...groups.values()].map((bySeed) => [...bySeed.values()]);
  const labels = settingLabels(grouped.map((rs) => setting(rs[0]!)));
  const out: MethodSummary[] = [];
  for (const rs of grouped) {
    const c = rs[0]!.config;
    const epochs = c.epochs;
    const perEpoch: (number | null)[] = [];
    for (let e = 0; e < epochs; e++) {
      const vals = rs
        .map((r) => r.epochs.find((x) => x.epoch === e)?.testAccuracy)
        .filter((v): v is number => v !== undefined);
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
      label: methodLabel(c.policy, c.pruneRatio, c.scoreFile, effectiveOptions(c.policy, c.policyOptions ?? {})),
      options: effectiveOptions(c.policy, c.policyOptions ?? {}),
      seeds: rs.map((r) => r.config.seed),
      accuracy: meanStd(rs.map((r) => r.finalAccuracy)),
      cost: meanStd(rs.map((r) => r.trainingSeconds + r.scoringSeconds)),
      trainedFraction: rs.reduce((a, r) => a + r.trainedFraction, 0) / rs.length,
      flippedShare: rs.reduce((a, r) => a + r.selection.flippedShare, 0) / rs.length,
      flipChance: rs.reduce((a, r) => a + flipChance(r), 0) / rs.length,
      settingLabel: labels.get(setting(rs[0]!)) ?? '',
      accuracyPerEpoch: perEpoch,
      selectionHistogram: hist,
      runs: rs,
    });
  }
  // Static methods from score files of one name in different folders: named by their whole path.
  const clashing = out.filter(
    (m) =>
      consumesScoreFile(m.policy) &&
      out.some(
        (o) =>
          o !== m &&
          o.label === m.label &&
          o.settingLabel === m.settingLabel &&
          o.dataset === m.dataset &&
          o.model === m.model,
      ),
  );
  for (const m of clashing) m.label = methodLabel(m.policy, m.pruneRatio, m.runs[0]!.config.scoreFile, m.options, true);
  // Each method against the full-data runs of its setting; the full-data summaries first, so that their own
  // adjusted costs exist when the other methods divide by them.
  const withFull = out
    .map((m) => ({ m, full: out.find((f) => isFullData(f) && setting(f.runs[0]!) === setting(m.runs[0]!)) }))
    .sort((a, b) => Number(isFullData(b.m)) - Number(isFullData(a.m)));
  const unpriced = new Set<string>();
  if (costModel)
    for (const m of out) {
      const costs = m.runs.map((r) => pricedRunCost(costModel, r, m.policy, m.options, (p) => unpriced.add(p)));
      m.pricedCost = costs.reduce((a, b) => a + b, 0) / costs.length;
    }
  if (unpriced.size)
    onWarning(
      `the cost model${costModel?.source ? ` ${costModel.source}` : ''} has no selection / scoring time for ${[...unpriced].join(', ')}: priced without it (policies cost well under 1% of a step); fix: dp probe-cost --policies ${[...unpriced].join(',')}`,
    );
  for (const { m, full } of withFull) {
    if (!full) continue;
    if (m.pricedCost !== undefined && full.pricedCost !== undefined) m.pricedSpeedup = full.pricedCost / m.pricedCost;
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
  // Dataset, model, setting; full data first, then equal steps; then policy, method (options, score file) and ratio.
  return out.sort(
    (a, b) =>
      a.dataset.localeCompare(b.dataset) ||
      a.model.localeCompare(b.model) ||
      a.settingLabel.localeCompare(b.settingLabel, 'en', { numeric: true }) ||
      Number(isFullData(b)) - Number(isFullData(a)) ||
      Number(roleOf(b.policy) === 'matched-steps') - Number(roleOf(a.policy) === 'matched-steps') ||
      a.policy.localeCompare(b.policy) ||
      compareOptions(a.options, b.options) ||
      methodName(a).localeCompare(methodName(b), 'en', { numeric: true }) ||
      a.pruneRatio - b.pruneRatio,
  );
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const pm = (m: { mean: number; std: number }, n: number, f: (x: number) => string) =>
  n > 1 ? `${f(m.mean)} ± ${f(m.std)}` : f(m.mean);

/** The lowest and highest machine speed of any method relative to its full-data run, or undefined if unknown. */
export function machineSpeedRange(ms: MethodSummary[]): [number, number] | undefined {
  const v = ms.map((m) => m.machineSpeed).filter((x): x is number => x !== undefined);
  return v.length ? [Math.min(...v), Math.max(...v)] : undefined;
}

export interface TableOptions {
  /** Add the machine-speed and adjusted speed-up columns (see machine.ts). */
  adjustForMachine?: boolean;
  /** Add the "speed-up (1 machine)" column (the summaries' pricedSpeedup; cost/cost-model.ts). */
  priced?: boolean;
}

/** The comparison of finished runs as a Markdown table (also readable as plain text in a terminal). */
export function comparisonTable(runs: RunSummary[], opts: TableOptions = {}): string {
  return summaryTable(summarize(runs), opts);
}

/** The comparison table of already summarised runs. */
export function summaryTable(
  ms: MethodSummary[],
  { adjustForMachine = false, priced = false }: TableOptions = {},
): string {
  const times = (x: number | undefined) => (x !== undefined ? `${x.toFixed(2)}×` : 'n/a');
  const rows = ms.map((m) => [
    m.label,
    settingName(m),
    String(m.seeds.length),
    pct(m.trainedFraction),
    pm(m.accuracy, m.seeds.length, (x) => (100 * x).toFixed(2)),
    pm(m.cost, m.seeds.length, (x) => `${x.toFixed(1)} s`),
    times(m.speedup),
    ...(adjustForMachine ? [times(m.machineSpeed), times(m.adjustedSpeedup)] : []),
    ...(priced ? [times(m.pricedSpeedup)] : []),
    m.accuracyChange !== undefined ? `${m.accuracyChange >= 0 ? '+' : ''}${m.accuracyChange.toFixed(2)} pp` : 'n/a',
    !prunes(m) ? '–' : `${pct(m.flippedShare)} (${(100 * m.flipChance).toFixed(0)}%)`,
  ]);
  // Runs with --val-split were evaluated on a validation split carved from the training set, not on the test set.
  const on =
    [...new Set(ms.flatMap((m) => m.runs.map((r) => (r.config.valSplit ? 'validation' : 'test'))))]
      .sort()
      .join(' / ') || 'test';
  const head = [
    'method',
    'dataset / model',
    'seeds',
    'data trained',
    `${on} acc (%)`,
    'training cost',
    'speed-up',
    ...(adjustForMachine ? ['machine', 'adj. speed-up'] : []),
    ...(priced ? ['speed-up (1 machine)'] : []),
    'acc change',
    'flipped (chance)',
  ];
  return markdownTable(head, rows);
}
