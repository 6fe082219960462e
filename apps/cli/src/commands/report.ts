import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from '../args.js';
import { CliError } from '../errors.js';
import { warn } from '../warn.js';
import { cpuNote } from '../report/cpus.js';
import { MACHINE_TOLERANCE } from '../report/machine.js';
import { machineSpeedRange } from '../report/summarize.js';
import { writeReport } from '../report/write.js';
import type { RunSummary } from '../run/run.js';
import { parseResultsLine, validateRunSummary } from '../run/results-line.js';
import { checkOutputPath } from '../fs.js';

export const reportHelp = `Usage: dp report <results.jsonl | run dir | compare dir>... [--out DIR] [--title TEXT] [--adjust-machine-speed]

  --out DIR               where report.md / report.html go (default: the run or compare directory given first, or
                          for a results file results/x.jsonl the folder results/x/)
  --title TEXT            the report's heading (default "dp report")
  --adjust-machine-speed  add the "machine" and "adj. speed-up" columns (below)

Summarises finished runs: prints a Markdown table (accuracy mean ± std over seeds, training cost, speed-up vs. full
data, accuracy change, selection flips) and writes report.md and a self-contained report.html with the same table,
a method x prune-ratio table (when the runs have several ratios) and plots (accuracy vs. cost, accuracy vs. prune
ratio with error bars, accuracy per epoch, the "sometimes samples" views).

Paired statistics: per setting, a table of every method (x ratio) with its seeds, the share of the data it really
trained (samples trained / (epochs x training-set size)), its final test accuracy (mean ± std over seeds) and its
difference to full data, to the equal-steps baseline at the same ratio (full data for ⌈(1 − r)·E⌉ epochs: the
policy equal-steps of dp compare / dp bench) and to uniform random at the same ratio, paired by seed (only seeds both
methods ran; their number is shown) with a 95% Student t confidence interval over the per-seed differences, plus a
sentence on what the intervals resolve. A method or pair with a single seed gets a difference and no interval.

Costs are wall-clock seconds. A sweep that spans days or sessions on a shared machine compares runs made at
different machine speeds; every run times its evaluation passes (the same fixed work in every run), and when
those differ by more than 10% from the full-data run's, dp report warns. --adjust-machine-speed then adds the
columns "machine" (the run's machine speed relative to the full-data run's) and "adj. speed-up" (at the
full-data run's machine speed) and uses the adjusted costs in the ratio table and the cost plot.

Examples:
  dp report results/fmnist.jsonl --out reports/fmnist
  dp report runs/compare-20261121-101500
  dp report results/cifar10-resnet20.jsonl --out results/cifar10-resnet20 --adjust-machine-speed
`;

/** Collect run summaries from results files, run directories (result.json) and folders of run directories. */
export function collectRuns(inputs: string[]): RunSummary[] {
  const runs: RunSummary[] = [];
  const visit = (p: string, depth: number) => {
    if (!existsSync(p)) throw new CliError(`${p}: no such file or directory; fix: give a dp bench results file (.jsonl), a run directory or a compare directory`);
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'result.json'))) {
        const path = join(p, 'result.json');
        const fix = `write it again with \`dp train --resume ${p}\` (a finished run's checkpoint rewrites it), or leave the directory out`;
        let raw: unknown;
        try {
          raw = JSON.parse(readFileSync(path, 'utf8'));
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          throw new CliError(`${path} is not valid JSON (${e.message}); fix: ${fix}`);
        }
        runs.push(validateRunSummary(raw, path, fix));
      } else if (depth < 2) {
        for (const e of readdirSync(p).sort()) if (statSync(join(p, e)).isDirectory()) visit(join(p, e), depth + 1);
      }
      return;
    }
    readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
      // Every line is validated as dp bench validates it (run/results-line.ts): a damaged one is refused.
      const run = parseResultsLine(line, `${p}:${i + 1}`);
      // A run interrupted while appending leaves a partial last line; dp bench redoes that run.
      if (run === 'partial') warn(`${p}:${i + 1} is not valid JSON (an interrupted write?); skipped`);
      else if (run) runs.push(run);
    });
  };
  for (const i of inputs) visit(i, 0);
  // The same run given twice (a results file and the run directories it came from, or a file listed twice) would
  // count as extra seeds: keep one summary per run key, the last one read.
  const byKey = new Map<string, RunSummary>();
  for (const r of runs) byKey.set(r.key ?? JSON.stringify(r.config), r);
  if (byKey.size < runs.length) warn(`${runs.length - byKey.size} run(s) given more than once (same config and seed); each is counted once`);
  return [...byKey.values()];
}

/** Where the report goes without --out: a run or compare directory itself, else results/x.jsonl -> results/x/. */
export function defaultReportDir(input: string): string {
  if (statSync(input).isDirectory()) return input;
  return join(dirname(input), basename(input).replace(/\.[^.]*$/, '') || 'report');
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { out: { type: 'string' }, title: { type: 'string' }, 'adjust-machine-speed': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    'report',
    ['title'],
  );
  if (values.help) {
    process.stdout.write(reportHelp);
    return 0;
  }
  if (!positionals.length) throw new CliError('no input given; fix: dp report <results.jsonl | run dir>... (see dp report --help)');
  const runs = collectRuns(positionals);
  if (!runs.length) throw new CliError(`no finished runs found in ${positionals.join(', ')}; fix: point at a results file or a directory with result.json files`);
  const out = typeof values.out === 'string' ? values.out : defaultReportDir(positionals[0]!);
  checkOutputPath(out, 'dir', '--out');
  const adjustForMachine = values['adjust-machine-speed'] === true;
  const { markdown, html, summaries, table } = writeReport(runs, out, { title: typeof values.title === 'string' ? values.title : 'dp report', adjustForMachine });
  const range = machineSpeedRange(summaries);
  if (range && !adjustForMachine && (range[0] < 1 / MACHINE_TOLERANCE || range[1] > MACHINE_TOLERANCE)) {
    warn(
      `some runs ran on a machine ${range[0].toFixed(2)}-${range[1].toFixed(2)}x as fast as their full-data run (timed by their evaluation passes), ` +
        'so their costs and speed-ups compare different machine states; --adjust-machine-speed adds speed-ups at the full-data run\'s machine speed',
    );
  }
  const cpus = cpuNote(runs);
  if (cpus) warn(cpus);
  process.stdout.write(`${table}\n\nreport: ${html}\n        ${markdown}\n`);
  return 0;
}
