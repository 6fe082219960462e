import { join } from 'node:path';
import { parse } from '../args.js';
import { loadBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { formatDuration } from '../progress.js';
import { writeReport } from '../report/write.js';
import { DEFAULTS } from '../run/config.js';
import { checkMethod, checkSweepOptions, optionsFor, planRun } from '../run/plan.js';
import { methodTag } from '../run/equal-steps.js';
import { configFromFlags, rejectRunFlags, RUN_FLAGS, runFlagsHelp } from '../run/flags.js';
import { executeRun, type RunSummary } from '../run/run.js';
import { comparisonTable } from '../report/summarize.js';
import { loadData } from '../run/data.js';
import { checkOutputPath } from '../fs.js';

/** Full data, the equal-steps baseline (full data for the steps of a pruned run), and two pruning policies. */
export const COMPARE_DEFAULT_POLICIES = ['full', 'equal-steps', 'random', 'ucb'];

export function compareHelp(): string {
  return `Usage: dp compare [options]

The main job: trains the same model with full data and with dynamic pruning policies (same epochs and seed), then
prints a table of test accuracy, training cost, speed-up and accuracy change, and writes an HTML + Markdown report.
With no options: ${DEFAULTS.model} on ${DEFAULTS.dataset}, ${COMPARE_DEFAULT_POLICIES.join(', ')} at 50% pruning, ${DEFAULTS.epochs} epochs.

  --policies A,B,...      policies to compare with full data (default ${COMPARE_DEFAULT_POLICIES.filter((p) => p !== 'full').join(',')});
                          'equal-steps' is the baseline every pruned run should also beat: full data for
                          ⌈(1 − r)·E⌉ of the E epochs (the same optimizer steps as a run pruned at r), with the
                          learning-rate schedule laid on that shorter run, at each ratio r
  --ratios R1,R2,...      prune ratios for every pruning policy (default 0.5)
  --seeds S1,S2,...       seeds (default 0)
  --out DIR               where runs and the report go (default runs/compare-<time>)
  --resume DIR            continue an interrupted comparison (finished runs are kept, partial ones resume);
                          repeat the original options, the plan is not stored

${runFlagsHelp(['policy', 'prune-ratio'])}
Examples:
  dp compare
  dp compare --policies random,ucb,epsilon-greedy,infobatch --ratios 0.3,0.5,0.7 --epochs 6
  dp compare --policies equal-steps,random,infobatch --ratios 0.5,0.7 --seeds 0,1,2
  dp compare --dataset cifar10 --model resnet20 --epochs 30 --seeds 0,1,2
`;
}

/**
 * A comma-separated list option, each item parsed by `parseItem`. An item given twice (`--ratios 0.5,0.5`, also
 * `0.5,.50` or `--seeds 1,01`: equal once parsed) is refused: the sweep would plan the same run twice, train it once
 * and could record it twice.
 */
export function list<T>(raw: unknown, flag: string, fallback: T[], parseItem: (s: string) => T): T[] {
  if (raw === undefined) return fallback;
  const items = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new CliError(`--${flag} ${JSON.stringify(String(raw))} is invalid: expected a comma-separated list; fix: e.g. --${flag} ${fallback.join(',')}`);
  const values = items.map(parseItem);
  const seen = new Map<string, string>();
  values.forEach((v, i) => {
    const k = JSON.stringify(v);
    const first = seen.get(k);
    if (first !== undefined) {
      const same = first === items[i] ? `${items[i]} is given twice` : `${first} and ${items[i]} are the same value`;
      throw new CliError(`--${flag} ${String(raw)}: ${same}, which would plan the same runs twice; fix: give each ${flag.replace(/ies$/, 'y').replace(/s$/, '')} once`);
    }
    seen.set(k, items[i]!);
  });
  return values;
}

/** Decimal notation only (as the numeric flags): Number() would also take '0x1', '1e-0' is fine. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function ratioItem(flag: string) {
  return (s: string): number => {
    const v = DECIMAL.test(s) ? Number(s) : Number.NaN;
    if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw new CliError(`--${flag}: ${s} is invalid: expected numbers in [0, 1); fix: e.g. --${flag} 0.3,0.5,0.7`);
    return v;
  };
}

export function seedItem(s: string): number {
  const v = /^\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(v) || v > 4294967295) throw new CliError(`--seeds: ${s} is invalid: expected integers in [0, 4294967295]; fix: e.g. --seeds 0,1,2`);
  return v;
}

export async function compareCommand(argv: string[]): Promise<number> {
  const flags = { ...RUN_FLAGS, policies: { type: 'string' }, ratios: { type: 'string' }, seeds: { type: 'string' }, out: { type: 'string' }, resume: { type: 'string' } } as const;
  const { values, positionals } = parse(argv, flags, 'compare');
  if (values.help) {
    process.stdout.write(compareHelp());
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'; fix: see \`dp compare --help\``);
  rejectRunFlags(values, ['policy', 'prune-ratio'], 'compare', 'it takes lists, --policies and --ratios');
  const policies = list(values.policies, 'policies', COMPARE_DEFAULT_POLICIES.filter((p) => p !== 'full'), checkMethod).filter((p) => p !== 'full');
  const ratios = list(values.ratios, 'ratios', [0.5], ratioItem('ratios'));
  const seeds = list(values.seeds, 'seeds', [0], seedItem);
  // As in dp bench: the score file belongs to the static runs, the policy options to the policies that take them,
  // and the whole plan is checked before any data loads or any run trains.
  const { 'score-file': scoreFile, ...rest } = values;
  const base = configFromFlags(rest);
  checkSweepOptions(policies, base.policyOptions);
  const run = (policy: string, pruneRatio: number, seed: number) =>
    planRun({ policy, pruneRatio, seed, policyOptions: optionsFor(policy, base.policyOptions), ...(policy === 'static' && typeof scoreFile === 'string' ? { scoreFile } : {}) }, base);
  const plan = seeds.flatMap((seed) => [run('full', 0, seed), ...policies.flatMap((policy) => ratios.map((pruneRatio) => run(policy, pruneRatio, seed)))]);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const outDir = typeof values.resume === 'string' ? values.resume : typeof values.out === 'string' ? values.out : join('runs', `compare-${stamp}`);
  checkOutputPath(outDir, 'dir', typeof values.resume === 'string' ? '--resume' : '--out');
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const data = await loadData(base.dataset, dataDir, base);
  const backend = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) });
  process.stdout.write(
    `dp compare: ${base.dataset} · ${base.model} · ${base.epochs} epochs · ${plan.length} runs (full + ${policies.join(', ')} @ ${ratios.join(', ')}; seeds ${seeds.join(', ')}) · backend ${backend.backend}\n` +
      `output: ${outDir}\n`,
  );
  const started = performance.now();
  const results: RunSummary[] = [];
  for (const [i, cfg] of plan.entries()) {
    const name = `${methodTag(cfg)}-s${cfg.seed}`;
    const label = `[${i + 1}/${plan.length}] ${name}`;
    results.push(await executeRun(cfg, { runDir: join(outDir, name), resume: true, backend, data, label }));
  }
  const { markdown, html } = writeReport(results, outDir, { title: `dp compare: ${base.dataset} · ${base.model} · ${base.epochs} epochs` });
  process.stdout.write(`\n${comparisonTable(results)}\n`);
  process.stdout.write(`\nreport: ${html}\n        ${markdown}\nwall-clock ${formatDuration((performance.now() - started) / 1000)}\n`);
  return 0;
}
