import {
  checkOutputPath,
  collectRuns,
  cpuNote,
  trainStepNote,
  defaultReportDir,
  ExperimentError,
  machineSpeedWarning,
  readCostModel,
  writeReport,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { warn } from '../warn.js';

export const report: Command = {
  name: 'report',
  summary: 'Markdown + HTML report of finished runs',
  help: () => `Usage: dp report <results.jsonl | run dir | compare dir>... [--out DIR] [--title TEXT] [--adjust-machine-speed]
                [--cost-model FILE]

  --out DIR               where report.md / report.html go (default: the run or compare directory given first, or
                          for a results file results/x.jsonl the folder results/x/)
  --title TEXT            the report's heading (default "dp report")
  --adjust-machine-speed  add the "machine" and "adj. speed-up" columns (below)
  --cost-model FILE       add the "speed-up (1 machine)" column: every run priced with the constants dp probe-cost
                          measured (below)

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

The evaluation passes are a poor probe when several runs share the cores (evaluation slows down more than training).
--cost-model prices every run at one machine speed instead: the samples each run really trained in each epoch, times
the seconds per trained sample, plus the seconds per epoch and per run and each policy's own selection and scoring
time, all measured quietly in one process by \`dp probe-cost\` for the same dataset, model, batch size and
augmentation (runs of another protocol are refused). "speed-up (1 machine)" is the speed-up a user gets on one
machine that nothing else shares.
`,
  examples: [
    'dp report results/sweep.jsonl --out reports/sweep',
    'dp report results/fmnist.jsonl --out reports/fmnist',
    'dp report runs/compare-20261121-101500',
    'dp report results/cifar10-resnet20.jsonl --out results/cifar10-resnet20 --adjust-machine-speed',
    'dp report results/cifar10-resnet20.jsonl --cost-model results/cifar10-resnet20-cost.json',
  ],
  flags: {
    out: { type: 'string' },
    title: { type: 'string' },
    'adjust-machine-speed': { type: 'boolean' },
    'cost-model': { type: 'string' },
  },
  allowEmpty: ['title'],
  positionals: true,
  async run(values, positionals) {
    if (!positionals.length)
      throw new ExperimentError('no input given; fix: dp report <results.jsonl | run dir>... (see dp report --help)');
    // The cost model first: a bad file is refused before any results file is read.
    const costModel = typeof values['cost-model'] === 'string' ? readCostModel(values['cost-model']) : undefined;
    const runs = collectRuns(positionals, warn);
    if (!runs.length)
      throw new ExperimentError(
        `no finished runs found in ${positionals.join(', ')}; fix: point at a results file or a directory with result.json files`,
      );
    const out = typeof values.out === 'string' ? values.out : defaultReportDir(positionals[0]!);
    checkOutputPath(out, 'dir', '--out');
    const adjustForMachine = values['adjust-machine-speed'] === true;
    const title = typeof values.title === 'string' ? values.title : 'dp report';
    const { markdown, html, summaries, table } = writeReport(runs, out, {
      title,
      adjustForMachine,
      onWarning: warn,
      ...(costModel ? { costModel } : {}),
    });
    const speeds = machineSpeedWarning(summaries, adjustForMachine);
    if (speeds) warn(speeds);
    const cpus = cpuNote(runs);
    if (cpus) warn(cpus);
    const steps = trainStepNote(runs);
    if (steps) warn(steps);
    process.stdout.write(`${table}\n\nreport: ${html}\n        ${markdown}\n`);
    return 0;
  },
};
