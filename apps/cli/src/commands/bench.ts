import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DatasetPair } from '@dp/data';
import { readCheckpoint } from '@dp/trainer';
import { parse } from '../args.js';
import { loadBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { formatDuration } from '../progress.js';
import { warn } from '../warn.js';
import { fingerprint, type RunConfig } from '../run/config.js';
import { checkMethod, checkSweepOptions, optionsFor, planRun } from '../run/plan.js';
import { describeMethod, methodTag } from '../run/equal-steps.js';
import { configFromFlags, rejectRunFlags, RUN_FLAGS, runFlagsHelp } from '../run/flags.js';
import { executeRun, type RunSummary } from '../run/run.js';
import { parseResultsLine } from '../run/results-line.js';
import { list, ratioItem, seedItem } from './compare.js';
import { loadData } from '../run/data.js';
import { checkOutputPath } from '../fs.js';
import { fitsBefore, formatDeadline, parseUntil } from './until.js';

export function benchHelp(): string {
  return `Usage: dp bench --results FILE [options]

A resumable sweep: policies × prune ratios × seeds × datasets × models. Appends one JSON line per finished run to
the results file and skips runs already there when restarted; an interrupted run resumes from its checkpoint.
Estimates the time left before it starts and after each run, from the seconds the latest finished runs of the same
setup recorded (those since the sweep's last stop of more than 10 minutes: the speed of the machine it runs on now).
Summarise with \`dp report FILE\`.

  --results FILE          results file (JSON lines), created if missing (required); every line is checked as dp
                          report checks it: a damaged line (a field of the wrong type or out of range) stops the
                          sweep with its line number and field, a line cut short by a kill is redone
  --runs-dir DIR          where run directories go (default runs/bench)
  --policies A,B,...      (default full,random,ucb); 'full' runs once per seed, not per ratio; 'equal-steps' runs
                          per ratio r and seed: full data for ⌈(1 − r)·E⌉ of the --epochs E, the optimizer steps of
                          a run pruned at r, with the learning-rate schedule laid on that shorter run
  --ratios R1,R2,...      (default 0.5)
  --seeds S1,S2,...       (default 0)
  --datasets D1,D2,...    (default: --dataset)
  --models M1,M2,...      (default: --model)
  --until TIME            start no run that would not finish by TIME, pricing its epochs at the latest finished
                          runs' speed (data loading not counted): HH:MM (local, the next such time) or an ISO date-time
                          (2026-11-22T17:30, ...Z); runs not started are left for the next invocation (exit 0), a
                          running run is never stopped (default: $DP_BENCH_UNTIL, an ISO date-time)
  --dry-run               list the runs (done / to do) and the time estimate, and exit

${runFlagsHelp(['policy', 'prune-ratio'])}
Examples:
  dp bench --results results/fmnist.jsonl --policies full,random,ucb,epsilon-greedy,infobatch --ratios 0.3,0.5,0.7,0.8 --seeds 0,1,2
  dp bench --results results/fmnist.jsonl --dry-run
  dp bench --results results/cifar.jsonl --policies random,ucb --ratios 0.5 --until 17:30
  dp bench --results results/cifar.jsonl --policies equal-steps --ratios 0.5,0.7 --seeds 0,1,2
`;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const flags = {
    ...RUN_FLAGS,
    results: { type: 'string' },
    'runs-dir': { type: 'string' },
    policies: { type: 'string' },
    ratios: { type: 'string' },
    seeds: { type: 'string' },
    datasets: { type: 'string' },
    models: { type: 'string' },
    'dry-run': { type: 'boolean' },
    until: { type: 'string' },
  } as const;
  const { values, positionals } = parse(argv, flags, 'bench');
  if (values.help) {
    process.stdout.write(benchHelp());
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'; fix: see \`dp bench --help\``);
  rejectRunFlags(values, ['policy', 'prune-ratio'], 'bench', 'it takes lists, --policies and --ratios');
  if (typeof values.results !== 'string') throw new CliError('--results FILE is required; fix: e.g. dp bench --results results/sweep.jsonl');
  const resultsPath = values.results;
  const runsDir = typeof values['runs-dir'] === 'string' ? values['runs-dir'] : join('runs', 'bench');
  checkOutputPath(resultsPath, 'file', '--results');
  checkOutputPath(runsDir, 'dir', '--runs-dir');
  // The score file belongs to the sweep's static runs only; the other policies are validated without it.
  const { 'score-file': scoreFile, ...rest } = values;
  const base = configFromFlags(rest);
  const policies = list(values.policies, 'policies', ['full', 'random', 'ucb'], checkMethod);
  const ratios = list(values.ratios, 'ratios', [0.5], ratioItem('ratios'));
  const seeds = list(values.seeds, 'seeds', [0], seedItem);
  const datasets = list(values.datasets, 'datasets', [base.dataset], String);
  const models = list(values.models, 'models', [base.model], String);
  checkSweepOptions(policies, base.policyOptions);
  const untilText = typeof values.until === 'string' ? values.until : process.env.DP_BENCH_UNTIL || undefined;
  const untilSource = typeof values.until === 'string' ? '--until' : 'DP_BENCH_UNTIL';
  const until = untilText === undefined ? undefined : parseUntil(untilText, new Date(), untilSource);
  const deadline = until === undefined ? '' : formatDeadline(until);
  const plan: RunConfig[] = [];
  for (const dataset of datasets)
    for (const model of models)
      for (const seed of seeds)
        for (const policy of policies)
          for (const pruneRatio of policy === 'full' ? [0] : ratios) {
            const staticFile = policy === 'static' && typeof scoreFile === 'string' ? { scoreFile } : {};
            plan.push(planRun({ dataset, model, seed, policy, pruneRatio, policyOptions: optionsFor(policy, base.policyOptions), ...staticFile }, base));
          }

  // Two entries of the plan that are the same run (they cannot be told apart by key) would train once and be
  // recorded twice: refused, naming both.
  const planned = new Map<string, RunConfig>();
  for (const c of plan) {
    const k = fingerprint(c);
    const other = planned.get(k);
    if (other) throw new CliError(`the sweep plans the same run twice (${runName(c)}: ${describeMethod(other)} and ${describeMethod(c)}, seed ${c.seed}); fix: give each policy, ratio, seed, dataset and model once`);
    planned.set(k, c);
  }

  // Every line is validated as dp report validates it (run/results-line.ts): a damaged but parseable line is refused
  // (it cannot be counted as done, and silently redoing it would leave two lines for one run); a line that is not
  // JSON, an append cut short by a kill, is reported and its run redone.
  const done = new Map<string, RunSummary>();
  if (existsSync(resultsPath)) {
    readFileSync(resultsPath, 'utf8').split('\n').forEach((line, i) => {
      const r = parseResultsLine(line, `${resultsPath}:${i + 1}`);
      if (r === 'partial') warn(`${resultsPath}:${i + 1} is not valid JSON (an interrupted write?); that run will be redone`);
      else if (r) done.set(r.key, r);
    });
  }
  const todo = plan.filter((c) => !done.has(fingerprint(c)));
  const finished = [...done.values()];
  // Epochs a run to do already has in its checkpoint (a run interrupted earlier resumes there).
  const epochsDone = (cfg: RunConfig) => {
    try {
      return (readCheckpoint(join(runsDir, runName(cfg)))?.epoch ?? -1) + 1;
    } catch {
      return 0; // an unreadable checkpoint: the run reports it when it starts
    }
  };
  const upfront = todo.length ? sweepEta(todo, finished, epochsDone) : 0;
  process.stdout.write(
    `dp bench: ${plan.length} run${plan.length === 1 ? '' : 's'} in the sweep, ${plan.length - todo.length} already in ${resultsPath}, ${todo.length} to run` +
      (upfront > 0 ? ` (about ${formatDuration(upfront)} at the latest finished runs' speed)` : '') +
      (until !== undefined ? ` · runs must end by ${deadline} (${untilSource})` : '') +
      '\n',
  );
  if (values['dry-run']) {
    const method = (c: RunConfig) => (c.equalSteps ? describeMethod(c) : `${c.policy} ${c.pruneRatio}`);
    for (const c of plan) process.stdout.write(`  ${done.has(fingerprint(c)) ? 'done' : 'todo'}  ${c.dataset} ${c.model} ${method(c)} seed ${c.seed}\n`);
    return 0;
  }
  if (!todo.length) return 0;
  const backend = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) });
  mkdirSync(dirname(resultsPath) || '.', { recursive: true });
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const cache = new Map<string, DatasetPair>();
  const started = performance.now();
  let skipped = 0;
  for (const [i, cfg] of todo.entries()) {
    const name = runName(cfg);
    if (until !== undefined) {
      const need = sweepEta([cfg], finished, epochsDone);
      if (!fitsBefore(need, Date.now(), until)) {
        skipped++;
        const left = (until - Date.now()) / 1000;
        process.stdout.write(
          `bench: [${i + 1}/${todo.length}] ${name} not started: it needs about ${formatDuration(need)} at the latest finished runs' speed, ` +
            `${left > 0 ? `${formatDuration(left)} left before ${deadline}` : `the time is up (${deadline})`}\n`,
        );
        continue;
      }
    }
    const dataKey = `${cfg.dataset}:${cfg.resize}:${cfg.crop}`;
    if (!cache.has(dataKey)) {
      cache.clear();
      cache.set(dataKey, await loadData(cfg.dataset, dataDir, cfg));
    }
    const summary = await executeRun(cfg, { runDir: join(runsDir, name), resume: true, backend, data: cache.get(dataKey)!, label: `[${i + 1}/${todo.length}] ${name}` });
    // After an interrupted append the file ends mid-line: start on a fresh line, or this run would be lost with it.
    appendFileSync(resultsPath, `${endsMidLine(resultsPath) ? '\n' : ''}${JSON.stringify(summary)}\n`);
    finished.push(summary);
    const elapsed = (performance.now() - started) / 1000;
    process.stdout.write(`bench: ${i + 1}/${todo.length} done · elapsed ${formatDuration(elapsed)} · ETA ${formatDuration(sweepEta(todo.slice(i + 1), finished, epochsDone))}\n`);
  }
  if (skipped) process.stdout.write(`bench: ${skipped} run${skipped === 1 ? '' : 's'} not started before ${deadline}; run the same command again to do ${skipped === 1 ? 'it' : 'them'}\n`);
  return 0;
}

/** The run's folder under --runs-dir: readable, and unique by the hash of its config's fingerprint. */
function runName(cfg: RunConfig): string {
  const hash = createHash('sha256').update(fingerprint(cfg)).digest('hex').slice(0, 8);
  return `${cfg.dataset}-${cfg.model}-${methodTag(cfg)}-s${cfg.seed}-${hash}`;
}

/** Whether a file exists and its last byte is not a newline. */
function endsMidLine(path: string): boolean {
  if (!existsSync(path)) return false;
  const size = statSync(path).size;
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** Runs whose seconds per epoch of data say something about each other's: same data, model and batch size. */
function sameSetup(a: RunConfig, b: RunConfig): boolean {
  return (
    a.dataset === b.dataset &&
    a.model === b.model &&
    a.batchSize === b.batchSize &&
    a.trainSubset === b.trainSubset &&
    a.testSubset === b.testSubset &&
    (a.valSplit ?? 0) === (b.valSplit ?? 0) &&
    a.resize === b.resize &&
    a.crop === b.crop
  );
}

/** Epochs of `cfg` from epoch `from` (0-based) on that end with a test evaluation (every evalEvery-th and the last). */
function evaluatedEpochs(cfg: RunConfig, from = 0): number {
  const every = Math.max(1, cfg.evalEvery ?? 1);
  if (from >= cfg.epochs) return 0;
  const regular = Math.floor(cfg.epochs / every) - Math.floor(from / every);
  return regular + (cfg.epochs % every === 0 ? 0 : 1);
}

/**
 * Seconds the runs left should take, from what the finished runs of the same setup recorded on their own clocks (so
 * a run resumed in this process, and runs from earlier sessions, count at their true cost rather than at this
 * process's elapsed time): training at their seconds per epoch of data trained, times the work each run left will
 * train (expectedWork), plus evaluation at their seconds per evaluation pass, times its passes (an evaluation
 * costs the same at any prune ratio). Only the latest stretch of runs counts (latestStretch): the setup's runs in
 * the results' latest stretch, else the setup's own latest stretch, so a sweep resumed on another machine goes at
 * that machine's speed rather than at the mean of every machine it ever ran on.
 * `epochsDone`: epochs a run left already has (from its checkpoint), which it will not train again. Falls back to
 * every finished run when none has this setup; 0 when none has finished.
 */
export function sweepEta(left: RunConfig[], finished: RunSummary[], epochsDone: (cfg: RunConfig) => number = () => 0): number {
  const rates = (runs: RunSummary[]) => {
    let train = 0;
    let work = 0;
    let evalSeconds = 0;
    let passes = 0;
    for (const r of runs) {
      train += r.trainingSeconds; // a static run's charged scoring time (scoringSeconds) was not spent in the sweep
      work += r.config.epochs * Math.max(r.trainedFraction, 0.01);
      evalSeconds += r.evalSeconds ?? 0;
      passes += (r.epochs ?? []).filter((e) => e.testAccuracy !== undefined).length;
    }
    return work > 0 ? { train: train / work, eval: passes > 0 ? evalSeconds / passes : 0 } : undefined;
  };
  const stretch = latestStretch(finished);
  const now = new Set(stretch);
  const overall = rates(stretch) ?? { train: 0, eval: 0 };
  let eta = 0;
  for (const cfg of left) {
    const setup = finished.filter((r) => sameSetup(r.config, cfg));
    const rate = rates(setup.filter((r) => now.has(r))) ?? rates(latestStretch(setup)) ?? overall;
    const from = Math.min(Math.max(0, epochsDone(cfg)), cfg.epochs);
    eta += rate.train * expectedWork(cfg, finished) * ((cfg.epochs - from) / cfg.epochs) + rate.eval * evaluatedEpochs(cfg, from);
  }
  return eta;
}

/** Minutes between one run's end and the next one's start that still count as one stretch (data loading, a report). */
export const STRETCH_GAP_MINUTES = 10;

/**
 * The runs of the latest uninterrupted stretch of a sweep: walking back from the run that finished last, each earlier
 * run whose end came at most STRETCH_GAP_MINUTES before the start of the run after it (its finishedAt less its
 * recorded training and evaluation seconds). A longer gap is a sweep stopped and started again, possibly on another
 * machine (a new VM, a laptop instead of a workstation), so the runs before it say little about the speed now. All
 * runs when any of them has no valid finishedAt (results written before it was recorded).
 */
export function latestStretch(runs: RunSummary[]): RunSummary[] {
  const timed = runs.map((r) => ({ r, end: Date.parse(r.finishedAt) }));
  if (timed.length < 2 || timed.some((t) => !Number.isFinite(t.end))) return runs;
  timed.sort((a, b) => a.end - b.end);
  let first = timed.length - 1;
  while (first > 0) {
    const next = timed[first]!;
    const start = next.end - 1000 * ((next.r.trainingSeconds || 0) + (next.r.evalSeconds || 0));
    if (timed[first - 1]!.end < start - STRETCH_GAP_MINUTES * 60_000) break;
    first--;
  }
  return timed.slice(first).map((t) => t.r);
}

/**
 * Epochs × the share of the data a run is expected to train, for the sweep's ETA: the mean measured share of the
 * finished runs with the same dataset, policy, ratio and options when there are any (InfoBatch trains a share it
 * chooses itself, annealing adds full epochs); else, from finished runs of that policy at other ratios, 1 − r·q with
 * q their mean (1 − share) / r (the part of its ratio a policy really prunes: 1 for the fixed-size policies, the
 * below-mean share for InfoBatch); else 1 − ratio, the share of the fixed-size policies (1 for full data).
 */
export function expectedWork(cfg: RunConfig, finished: RunSummary[]): number {
  const kin = finished.filter(
    (r) => r.config.dataset === cfg.dataset && r.config.policy === cfg.policy && JSON.stringify(r.config.policyOptions ?? {}) === JSON.stringify(cfg.policyOptions ?? {}),
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const same = kin.filter((r) => r.config.pruneRatio === cfg.pruneRatio);
  const others = kin.filter((r) => r.config.pruneRatio > 0 && r.config.pruneRatio !== cfg.pruneRatio);
  const share = same.length
    ? mean(same.map((r) => r.trainedFraction))
    : others.length
      ? 1 - cfg.pruneRatio * Math.min(1, Math.max(0, mean(others.map((r) => (1 - r.trainedFraction) / r.config.pruneRatio))))
      : 1 - cfg.pruneRatio;
  return cfg.epochs * Math.max(share, 0.01);
}
