import {
  backendFlags,
  checkMethod,
  checkOutputPath,
  COMPARE_DEFAULTS,
  compareConfig,
  compareProtocolsText,
  comparisonDir,
  DEFAULT_COMPARE_METHODS,
  DEFAULT_COMPARE_RATIOS,
  DEFAULT_COMPARE_SEEDS,
  EQUAL_STEPS,
  exampleMethods,
  flagString,
  formatDuration,
  fullDataMethod,
  list,
  loadBackend,
  loadData,
  planComparison,
  ratioItem,
  recommendedMethod,
  rejectRunFlags,
  RUN_FLAGS,
  runComparison,
  runFlagsHelp,
  seedItem,
  writeReport,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { loadPrinter, runPrinter } from '../printers.js';
import { warn } from '../warn.js';

const ex = exampleMethods();

export const compare: Command = {
  name: 'compare',
  summary: 'full data vs. dynamic pruning, side by side, with a report',
  help: () => `Usage: dp compare [options]

The main job: trains the same model with full data and with dynamic pruning policies (same epochs and seed), then
prints a table of test accuracy, training cost, speed-up and accuracy change, and writes an HTML + Markdown report.
With no options (about 5 minutes on 2 cores): ${COMPARE_DEFAULTS.model} on a ${COMPARE_DEFAULTS.trainSubset}-sample subset of
${COMPARE_DEFAULTS.dataset} for ${COMPARE_DEFAULTS.epochs} epochs, ${[fullDataMethod(), ...DEFAULT_COMPARE_METHODS].join(', ')} at prune ratio ${DEFAULT_COMPARE_RATIOS.join(', ')}
(${recommendedMethod()} is the recommended policy, what \`dp train --policy auto\` trains; its method card has the evidence).
Full data's test accuracy levels off over the last epochs there. The protocol is the dataset's own, where one was
measured (a subset and epochs measured on one dataset say nothing about another):
${compareProtocolsText()}
Every run option below overrides it (--train-subset 0 for all the data); the defaults shown are ${COMPARE_DEFAULTS.dataset}'s.

  --policies A,B,...      policies to compare with full data (default ${DEFAULT_COMPARE_METHODS.join(',')}; auto = the
                          recommended policy);
                          '${EQUAL_STEPS}' is the baseline every pruned run should also beat: full data for
                          ⌈(1 − r)·E⌉ of the E epochs (the same optimizer steps as a run pruned at r), with the
                          learning-rate schedule laid on that shorter run, at each ratio r
  --ratios R1,R2,...      prune ratios for every pruning policy (default ${DEFAULT_COMPARE_RATIOS.join(',')})
  --seeds S1,S2,...       seeds (default ${DEFAULT_COMPARE_SEEDS.join(',')})
  --out DIR               where runs and the report go (default runs/compare-<time>)
  --resume DIR            continue an interrupted comparison (finished runs are kept, partial ones resume);
                          repeat the original options, the plan is not stored

${runFlagsHelp(['policy', 'prune-ratio'], COMPARE_DEFAULTS)}`,
  examples: [
    'dp compare   # the main job: full data, equal-steps, random, the recommended policy; about 5 minutes on 2 cores',
    'dp compare --seeds 0,1,2   # the same with paired differences and 95% intervals (3x the time)',
    `dp compare --policies ${[ex.uniform, ...ex.scored.slice(0, 3)].join(',')} --ratios 0.3,0.5,0.7 --epochs 6`,
    `dp compare --policies ${[ex.equalSteps, ex.uniform, ex.scored[0]].join(',')} --ratios 0.5,0.7 --seeds 0,1,2`,
    'dp compare --dataset cifar10 --model resnet20 --epochs 30 --seeds 0,1,2   # no protocol for cifar10: all its data',
  ],
  flags: {
    ...RUN_FLAGS,
    policies: { type: 'string' },
    ratios: { type: 'string' },
    seeds: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'string' },
  },
  async run(values) {
    rejectRunFlags(values, ['policy', 'prune-ratio'], 'compare', 'it takes lists, --policies and --ratios');
    const policies = list(values.policies, 'policies', [...DEFAULT_COMPARE_METHODS], checkMethod);
    const ratios = list(values.ratios, 'ratios', [...DEFAULT_COMPARE_RATIOS], ratioItem('ratios'));
    const seeds = list(values.seeds, 'seeds', [...DEFAULT_COMPARE_SEEDS], seedItem);
    // As in dp bench: the score file belongs to the runs that read one, the policy options to the policies that take
    // them, and the whole plan is checked before any data loads or any run trains.
    const { 'score-file': scoreFile, ...rest } = values;
    const base = compareConfig(rest);
    const plan = planComparison(
      { policies, ratios, seeds, scoreFile: typeof scoreFile === 'string' ? scoreFile : undefined },
      base,
    );
    const shown = policies.filter((p) => p !== fullDataMethod());
    const outDir = comparisonDir(values);
    checkOutputPath(outDir, 'dir', typeof values.resume === 'string' ? '--resume' : '--out');
    const data = await loadData(base.dataset, flagString(values, 'data-dir'), base, loadPrinter(base.dataset));
    const backend = await loadBackend({ ...backendFlags(values), onWarning: warn });
    process.stdout.write(
      `dp compare: ${base.dataset}${base.trainSubset ? ` (${base.trainSubset}-sample training subset)` : ''} · ${base.model} · ${base.epochs} epochs · ${plan.length} runs (full + ${shown.join(', ')} @ ${ratios.join(', ')}; seeds ${seeds.join(', ')}) · backend ${backend.backend}\n` +
        `output: ${outDir}\n`,
    );
    const started = performance.now();
    let printer: ReturnType<typeof runPrinter> | undefined;
    let results;
    try {
      results = await runComparison(plan, {
        outDir,
        backend,
        data,
        signals: true,
        run: (cfg, i, total, name) => (printer = runPrinter(cfg, `[${i + 1}/${total}] ${name}`)),
      });
    } finally {
      printer?.close();
    }
    const { markdown, html, table, stepBudget } = writeReport(results, outDir, {
      title: `dp compare: ${base.dataset} · ${base.model} · ${base.epochs} epochs`,
      onWarning: warn,
    });
    process.stdout.write(`\n${table}\n`);
    for (const note of stepBudget) process.stdout.write(`\n${note}\n`);
    process.stdout.write(
      `\nreport: ${html}\n        ${markdown}\nwall-clock ${formatDuration((performance.now() - started) / 1000)}\n`,
    );
    return 0;
  },
};
