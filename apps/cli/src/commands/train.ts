import { abortCollectives, DEFAULT_STARTUP_TIMEOUT_S, joinFromEnvironment, startupTimeoutMs } from '@dp/distributed';
import {
  backendFlags,
  checkSubsetSize,
  checkValSplit,
  describeMethod,
  exampleMethods,
  executeRun,
  ExperimentError,
  loadBackend,
  loadData,
  resumeNote,
  RUN_FLAGS,
  runFlagsHelp,
  SignalWatch,
  trainTarget,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { loadPrinter, runPrinter } from '../printers.js';
import { warn } from '../warn.js';

const ex = exampleMethods();

export const train: Command = {
  name: 'train',
  summary: 'train a model with a data-pruning policy',
  help: () => `Usage: dp train [options]

Trains a model on the native TensorFlow backend, pruning the data each epoch with a selection policy. Writes a run
directory: config.json, log.jsonl, tensorboard/, checkpoint/, result.json.

  --out DIR               run directory (default runs/<dataset>-<model>-<policy>-...-<time>)
  --resume DIR            continue the run in DIR from its last checkpoint (same config; killed runs included)

With TF_CONFIG set (TensorFlow's cluster convention; \`dp launch\` sets it), the process joins that cluster and trains
data-parallel: --batch-size is the global batch (a multiple of the number of workers), worker 0 writes the run
directory, every worker must be given the same options and run directory.
  --startup-timeout S     with TF_CONFIG: how long to wait for every worker to start and join, in seconds (default
                          ${DEFAULT_STARTUP_TIMEOUT_S}); a worker that has not joined by then is named in the error

${runFlagsHelp()}`,
  examples: [
    'dp train --dataset fashion-mnist --model cnn-small --epochs 3',
    `dp train --policy ${ex.uniform} --prune-ratio 0.5 --epochs 6 --seed 1`,
    'dp train --policy auto --epochs 6   # the recommended policy at its ratio (it says which, and why)',
    `dp train --policy ${ex.equalSteps} --prune-ratio 0.5 --epochs 6 --seed 1   # full data, 3 epochs: the same steps`,
    `dp train --policy ${ex.scored[0]} --policy-option ${ex.option.name}=${ex.option.value} --val-split 5000   # choose ${ex.option.name} on 5,000 held-out training samples, not on the test set`,
    'dp train --config run.json --out runs/my-run',
    'dp train --resume runs/my-run',
  ],
  flags: { ...RUN_FLAGS, out: { type: 'string' }, resume: { type: 'string' }, 'startup-timeout': { type: 'string' } },
  async run(values) {
    // Everything that can be refused from the flags and the run directory is, before any data loads or TensorFlow starts.
    const startup = startupTimeoutMs(values['startup-timeout']);
    const target = trainTarget(values, (note) => process.stdout.write(`${note}\n`));
    const { runDir } = target;
    // Ctrl-C from here on: before training, a prompt stop that writes nothing; during training, a stop after the
    // current step (every worker together), and a second Ctrl-C stops at once (signals.ts).
    const watch = new SignalWatch(true, { runDir, abort: abortCollectives });
    try {
      return await trainWatched(values, target, watch, startup);
    } finally {
      watch.stop();
    }
  },
};

async function trainWatched(
  values: Parameters<Command['run']>[0],
  target: ReturnType<typeof trainTarget>,
  watch: SignalWatch,
  startup: number | undefined,
): Promise<number> {
  const { cfg, runDir } = target;
  watch.during('loading the data');
  // Data first: its errors are the most common and need no TensorFlow start-up to report.
  const data = await loadData(cfg.dataset, target.dataDir, cfg, loadPrinter(cfg.dataset));
  checkSubsetSize(data.train, cfg.trainSubset);
  checkSubsetSize(data.test, cfg.testSubset);
  checkValSplit(data.train, cfg);
  watch.during('starting TensorFlow');
  const backend = await loadBackend({ ...backendFlags(values), onWarning: warn });
  const sizes = cfg.valSplit
    ? `${(cfg.trainSubset || data.train.size) - cfg.valSplit} train / ${cfg.valSplit} validation`
    : `${cfg.trainSubset || data.train.size} train / ${cfg.testSubset || data.test.size} test`;
  process.stdout.write(
    `dp train: ${cfg.dataset} (${sizes}, from ${data.source}) · ${cfg.model} · policy ${describeMethod(cfg)}` +
      ` · ${cfg.epochs} epochs · backend ${backend.backend}${backend.tensorflowVersion ? ` (TensorFlow ${backend.tensorflowVersion})` : ''}\n` +
      `run directory: ${runDir}${resumeNote(target)}\n`,
  );
  // TF_CONFIG set: join the cluster (every worker started) before training; null trains in this process alone.
  watch.during('joining the cluster (waiting for every worker to start)');
  const parallel = await joinFromEnvironment(process.env, startup === undefined ? {} : { startupTimeoutMs: startup });
  watch.joined(parallel ?? undefined);
  if (parallel) process.stdout.write(`worker ${parallel.rank} of ${parallel.worldSize} joined the cluster\n`);
  const printer = runPrinter(cfg);
  try {
    await executeRun(cfg, {
      runDir,
      resume: Boolean(target.resumeDir),
      backend,
      data,
      signals: watch,
      callbacks: printer,
      ...(parallel ? { parallel } : {}),
    });
  } catch (e) {
    // Data-parallel, an interrupt (exit code 130) is agreed by every worker, which all stop at the same point: they
    // leave together, as after a finished run (any other failure ends the cluster: nobody waits for it).
    if (parallel && e instanceof ExperimentError && e.exitCode === 130) await parallel.close().catch(() => {});
    throw e;
  } finally {
    printer.close();
  }
  // Every worker leaves together: a peer may still need this one's data for the last collective.
  await parallel?.close();
  return 0;
}
