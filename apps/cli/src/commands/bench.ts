import { join } from 'node:path';
import {
  backendFlags,
  checkMethod,
  checkOutputPath,
  configFromFlags,
  DEFAULT_SWEEP_METHODS,
  EQUAL_STEPS,
  exampleMethods,
  ExperimentError,
  flagString,
  formatDuration,
  fullDataMethod,
  list,
  loadBackend,
  planSweep,
  ratioItem,
  rejectRunFlags,
  RUN_FLAGS,
  runFlagsHelp,
  runSweep,
  seedItem,
  sweepDeadline,
  sweepStatus,
  sweepStatusText,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { loadPrinter, runPrinter } from '../printers.js';
import { warn } from '../warn.js';

const ex = exampleMethods();

export const bench: Command = {
  name: 'bench',
  summary: 'a resumable sweep of policies x ratios x seeds',
  help: () => `Usage: dp bench --results FILE [options]

A resumable sweep: policies × prune ratios × seeds × datasets × models. Appends one JSON line per finished run to
the results file and skips runs already there when restarted; an interrupted run resumes from its checkpoint.
Estimates the time left before it starts and after each run, from the seconds the latest finished runs of the same
setup recorded (those since the sweep's last stop of more than 10 minutes: the speed of the machine it runs on now).
Summarise with \`dp report FILE\`.

  --results FILE          results file (JSON lines), created if missing (required); every line is checked as dp
                          report checks it: a damaged line (a field of the wrong type or out of range) stops the
                          sweep with its line number and field, a line cut short by a kill is redone
  --runs-dir DIR          where run directories go (default runs/bench)
  --policies A,B,...      (default ${DEFAULT_SWEEP_METHODS.join(',')}); '${fullDataMethod()}' runs once per seed, not per ratio; '${EQUAL_STEPS}' runs
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

${runFlagsHelp(['policy', 'prune-ratio'])}`,
  examples: [
    `dp bench --results results/sweep.jsonl --policies ${[ex.full, ex.uniform, ex.scored[0]].join(',')} --ratios 0.5,0.7 --seeds 0,1,2`,
    `dp bench --results results/fmnist.jsonl --policies ${[ex.full, ex.uniform, ...ex.scored.slice(0, 3)].join(',')} --ratios 0.3,0.5,0.7,0.8 --seeds 0,1,2`,
    'dp bench --results results/fmnist.jsonl --dry-run',
    `dp bench --results results/cifar.jsonl --policies ${[ex.uniform, ex.scored[0]].join(',')} --ratios 0.5 --until 17:30`,
    `dp bench --results results/cifar.jsonl --policies ${ex.equalSteps} --ratios 0.5,0.7 --seeds 0,1,2`,
  ],
  flags: {
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
  },
  async run(values) {
    rejectRunFlags(values, ['policy', 'prune-ratio'], 'bench', 'it takes lists, --policies and --ratios');
    if (typeof values.results !== 'string')
      throw new ExperimentError('--results FILE is required; fix: e.g. dp bench --results results/sweep.jsonl');
    const resultsPath = values.results;
    const runsDir = typeof values['runs-dir'] === 'string' ? values['runs-dir'] : join('runs', 'bench');
    checkOutputPath(resultsPath, 'file', '--results');
    checkOutputPath(runsDir, 'dir', '--runs-dir');
    // The score file belongs to the sweep's runs that read one; the other policies are validated without it.
    const { 'score-file': scoreFile, ...rest } = values;
    const base = configFromFlags(rest);
    const policies = list(values.policies, 'policies', [...DEFAULT_SWEEP_METHODS], checkMethod);
    const ratios = list(values.ratios, 'ratios', [0.5], ratioItem('ratios'));
    const seeds = list(values.seeds, 'seeds', [0], seedItem);
    const datasets = list(values.datasets, 'datasets', [base.dataset], String);
    const models = list(values.models, 'models', [base.model], String);
    const deadline = sweepDeadline(flagString(values, 'until'));
    const plan = planSweep(
      { datasets, models, seeds, policies, ratios, scoreFile: typeof scoreFile === 'string' ? scoreFile : undefined },
      base,
    );
    const status = sweepStatus(plan, resultsPath, runsDir, (where) =>
      warn(`${where} is not valid JSON (an interrupted write?); that run will be redone`),
    );
    const { todo } = status;
    const runsBy = deadline ? `runs must end by ${deadline.text} (${deadline.source})` : '';
    const text = sweepStatusText(status, { list: Boolean(values['dry-run']), deadline: runsBy });
    process.stdout.write(`dp bench: ${text}\n`);
    if (values['dry-run']) return 0;
    if (!todo.length) return 0;
    const backend = await loadBackend({ ...backendFlags(values), onWarning: warn });
    let printer: ReturnType<typeof runPrinter> | undefined;
    try {
      const { skipped } = await runSweep(status, {
        backend,
        dataDir: flagString(values, 'data-dir'),
        until: deadline?.until,
        signals: true,
        callbacks: {
          ...loadPrinter(base.dataset),
          run: (cfg, i, total, name) => (printer = runPrinter(cfg, `[${i + 1}/${total}] ${name}`)),
          onSkipped: (p) =>
            process.stdout.write(
              `bench: [${p.index + 1}/${p.total}] ${p.name} not started: it needs about ${formatDuration(p.needSeconds)} at the latest finished runs' speed, ` +
                `${p.leftSeconds > 0 ? `${formatDuration(p.leftSeconds)} left before ${deadline!.text}` : `the time is up (${deadline!.text})`}\n`,
            ),
          onRunDone: (p) =>
            process.stdout.write(
              `bench: ${p.index + 1}/${p.total} done · elapsed ${formatDuration(p.elapsedSeconds)} · ETA ${formatDuration(p.etaSeconds)}\n`,
            ),
        },
      });
      if (skipped)
        process.stdout.write(
          `bench: ${skipped} run${skipped === 1 ? '' : 's'} not started before ${deadline!.text}; run the same command again to do ${skipped === 1 ? 'it' : 'them'}\n`,
        );
    } finally {
      printer?.close();
    }
    return 0;
  },
};
