import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkCheckpointFits, readCheckpoint, type CheckpointData } from '@dp/trainer';
import { fingerprint, readConfigFile, validateRunConfig, type RunConfig } from '../config/config.js';
import { configFromFlags, defaultRunDir } from '../config/flags.js';
import { ExperimentError } from '../errors.js';
import { checkOutputPath } from '../fs.js';
import { planRun } from './plan.js';
import { checkSameConfig, resumeDataDir } from './run-dir.js';

/** What one training run is, decided from its flags before any data loads or TensorFlow starts. */
export interface TrainTarget {
  cfg: RunConfig;
  runDir: string;
  /** The run directory resumed (--resume), if any. */
  resumeDir?: string;
  /** The checkpoint it resumes from, if it has one. */
  checkpoint?: CheckpointData;
  /** Where its data is: --data-dir, else, on resume, the source the run started on. */
  dataDir?: string;
}

/**
 * `dp train`'s flags as a run: a new one (--out, else a fresh default directory) or a resume (--resume DIR: the
 * run's own config.json, which flags may only repeat). Everything that can be refused is refused here: --out with
 * another --resume, a resume without a run, the policy options, a config that differs from the run's, an output path
 * that cannot be created, a damaged checkpoint, resumed data that is gone. `onAuto` hears what `--policy auto` chose.
 */
export function trainTarget(
  values: Record<string, string | boolean | undefined>,
  onAuto?: (note: string) => void,
): TrainTarget {
  const resumeDir = typeof values.resume === 'string' ? values.resume : undefined;
  if (resumeDir && values.out !== undefined && values.out !== resumeDir) {
    throw new ExperimentError(
      `--out ${String(values.out)} conflicts with --resume ${resumeDir}; fix: give only --resume (the run continues in its own directory)`,
    );
  }
  let base: RunConfig | undefined;
  if (resumeDir) {
    const path = join(resumeDir, 'config.json');
    if (!existsSync(path))
      throw new ExperimentError(
        `--resume ${resumeDir}: no run there (config.json missing); fix: give the directory a previous dp train wrote`,
      );
    base = validateRunConfig(readConfigFile(path));
  }
  const cfg = configFromFlags(values, base, onAuto);
  planRun({}, cfg);
  if (resumeDir) checkSameConfig(resumeDir, cfg);
  const runDir = resumeDir ?? (typeof values.out === 'string' ? values.out : defaultRunDir(cfg));
  checkOutputPath(runDir, 'dir', resumeDir ? '--resume' : '--out');
  const given = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  if (!resumeDir) return { cfg, runDir, dataDir: given };
  // In this order: a damaged checkpoint, one of another run (its config, an epoch beyond the run), then data that is
  // gone, as before anything is printed or loads.
  const checkpoint = readCheckpoint(resumeDir);
  if (checkpoint) checkCheckpointFits({ dir: runDir, epochs: cfg.epochs, fingerprint: fingerprint(cfg) }, checkpoint);
  return { cfg, runDir, resumeDir, checkpoint, dataDir: resumeDataDir(resumeDir, given) };
}

/** How a resume is described on a run's first lines: from which checkpoint, or that none exists and what happens. */
export function resumeNote(target: TrainTarget): string {
  if (!target.resumeDir) return '';
  if (!target.checkpoint)
    return ' (resuming: no checkpoint there yet, so the run starts again from epoch 1; its log keeps the earlier records, not their epochs)';
  return ` (resuming from its checkpoint of epoch ${target.checkpoint.epoch + 1}/${target.cfg.epochs})`;
}
