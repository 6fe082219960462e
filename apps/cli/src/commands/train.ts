import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../args.js';
import { loadBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { readConfigFile, validateRunConfig, type RunConfig } from '../run/config.js';
import { configFromFlags, defaultRunDir, RUN_FLAGS, runFlagsHelp } from '../run/flags.js';
import { checkSameConfig, executeRun, startRecord } from '../run/run.js';
import { planRun } from '../run/plan.js';
import { checkSubsetSize, checkValSplit, loadData } from '../run/data.js';
import { checkOutputPath } from '../fs.js';
import { readCheckpoint, type CheckpointData } from '@dp/trainer';
import { describeMethod } from '../run/equal-steps.js';

export function trainHelp(): string {
  return `Usage: dp train [options]

Trains a model on the native TensorFlow backend, pruning the data each epoch with a selection policy. Writes a run
directory: config.json, log.jsonl, tensorboard/, checkpoint/, result.json.

  --out DIR               run directory (default runs/<dataset>-<model>-<policy>-...-<time>)
  --resume DIR            continue the run in DIR from its last checkpoint (same config; killed runs included)

${runFlagsHelp()}
Examples:
  dp train --dataset fashion-mnist --model cnn-small --epochs 3
  dp train --policy random --prune-ratio 0.5 --epochs 6 --seed 1
  dp train --policy equal-steps --prune-ratio 0.5 --epochs 6 --seed 1   # full data, 3 epochs: the same steps
  dp train --policy ucb --policy-option c=2 --val-split 5000   # choose c on 5,000 held-out training samples, not on the test set
  dp train --config run.json --out runs/my-run
  dp train --resume runs/my-run
`;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...RUN_FLAGS, out: { type: 'string' }, resume: { type: 'string' } }, 'train');
  if (values.help) {
    process.stdout.write(trainHelp());
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'; fix: see \`dp train --help\``);
  const resumeDir = typeof values.resume === 'string' ? values.resume : undefined;
  if (resumeDir && values.out !== undefined && values.out !== resumeDir) {
    throw new CliError(`--out ${String(values.out)} conflicts with --resume ${resumeDir}; fix: give only --resume (the run continues in its own directory)`);
  }
  let base: RunConfig | undefined;
  if (resumeDir) {
    const path = join(resumeDir, 'config.json');
    if (!existsSync(path)) throw new CliError(`--resume ${resumeDir}: no run there (config.json missing); fix: give the directory a previous dp train wrote`);
    base = validateRunConfig(readConfigFile(path));
  }
  const cfg = configFromFlags(values, base);
  // The policy options (built into a pruner on a nominal dataset) and, on resume, the run's own config are checked
  // now, before any data loads or TensorFlow starts.
  planRun({}, cfg);
  if (resumeDir) checkSameConfig(resumeDir, cfg);
  const runDir = resumeDir ?? (typeof values.out === 'string' ? values.out : defaultRunDir(cfg));
  checkOutputPath(runDir, 'dir', resumeDir ? '--resume' : '--out');
  // What a resume will do, said before anything loads: continue from the checkpoint, or (none yet: killed before the
  // first, or deleted to restart) train from epoch 1 again. A damaged checkpoint is refused here, before TensorFlow starts.
  const checkpoint = resumeDir ? readCheckpoint(resumeDir) : undefined;
  // Resuming without --data-dir: the data the run started on (recorded in its log), not whatever is found first now.
  const recorded = resumeDir && values['data-dir'] === undefined ? startRecord(resumeDir)?.data?.source : undefined;
  if (recorded !== undefined && !existsSync(recorded)) {
    throw new CliError(`run directory ${resumeDir} started on data from ${recorded}, which no longer exists; fix: restore it there, or resume with --data-dir DIR pointing at the same data (it is checked against the run's record)`);
  }
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : recorded;
  // Data first: its errors are the most common and need no TensorFlow start-up to report.
  const data = await loadData(cfg.dataset, dataDir, cfg);
  checkSubsetSize(data.train, cfg.trainSubset);
  checkSubsetSize(data.test, cfg.testSubset);
  checkValSplit(data.train, cfg);
  const backend = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) });
  process.stdout.write(
    `dp train: ${cfg.dataset} (${cfg.valSplit ? `${(cfg.trainSubset || data.train.size) - cfg.valSplit} train / ${cfg.valSplit} validation` : `${cfg.trainSubset || data.train.size} train / ${cfg.testSubset || data.test.size} test`}, from ${data.source}) · ${cfg.model} · policy ${describeMethod(cfg)}` +
      ` · ${cfg.epochs} epochs · backend ${backend.backend}${backend.tensorflowVersion ? ` (TensorFlow ${backend.tensorflowVersion})` : ''}\n` +
      `run directory: ${runDir}${resumeNote(checkpoint, cfg.epochs, Boolean(resumeDir))}\n`,
  );
  await executeRun(cfg, { runDir, resume: Boolean(resumeDir), backend, data });
  return 0;
}

/** How `dp train` describes a resume on its first lines: from which checkpoint, or that none exists and what happens. */
function resumeNote(checkpoint: CheckpointData | undefined, epochs: number, resuming: boolean): string {
  if (!resuming) return '';
  if (!checkpoint) return ' (resuming: no checkpoint there yet, so the run starts again from epoch 1; its log keeps the earlier records, not their epochs)';
  return ` (resuming from its checkpoint of epoch ${checkpoint.epoch + 1}/${epochs})`;
}
