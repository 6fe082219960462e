import { join } from 'node:path';
import type { DatasetPair } from '@dp/data';
import { readCheckpoint } from '@dp/trainer';
import type { BackendInfo } from '../backend.js';
import { fingerprint, type RunConfig } from '../config/config.js';
import { loadData, type LoadCallbacks } from '../run/data.js';
import { executeRun, type RunCallbacks } from '../run/run.js';
import type { RunSummary } from '../run/summary.js';
import { appendResult, readResultsFile, runName } from './results-file.js';
import { sweepEta } from './time-model.js';
import { fitsBefore } from './until.js';

/** Where a sweep stands: its runs done (in the results file) and to do, and the time the rest should take. */
export interface SweepStatus {
  plan: RunConfig[];
  resultsPath: string;
  runsDir: string;
  done: Map<string, RunSummary>;
  todo: RunConfig[];
  /** Every finished run of the results file (the time model's measurements). */
  finished: RunSummary[];
  /** Epochs a run to do already has in its checkpoint (an interrupted run resumes there). */
  epochsDone: (cfg: RunConfig) => number;
  /** Seconds the runs to do should take at the latest finished runs' speed (0 when none has finished). */
  etaSeconds: number;
}

/** The status of `plan` against its results file and runs directory; `onPartial` hears of lines cut short by a kill. */
export function sweepStatus(
  plan: RunConfig[],
  resultsPath: string,
  runsDir: string,
  onPartial?: (where: string) => void,
): SweepStatus {
  const done = readResultsFile(resultsPath, onPartial);
  const todo = plan.filter((c) => !done.has(fingerprint(c)));
  const finished = [...done.values()];
  const epochsDone = (cfg: RunConfig) => {
    try {
      return (readCheckpoint(join(runsDir, runName(cfg)))?.epoch ?? -1) + 1;
    } catch {
      return 0; // an unreadable checkpoint: the run reports it when it starts
    }
  };
  return {
    plan,
    resultsPath,
    runsDir,
    done,
    todo,
    finished,
    epochsDone,
    etaSeconds: todo.length ? sweepEta(todo, finished, epochsDone) : 0,
  };
}

/** What a sweep reports as it goes, for the caller to show (the library prints nothing). */
export interface SweepCallbacks extends LoadCallbacks {
  /** The callbacks of one run about to start (its progress), given its place in the runs to do and its folder. */
  run?(cfg: RunConfig, index: number, total: number, name: string): RunCallbacks;
  /** A run not started: it would not end before the deadline. */
  onSkipped?(p: { index: number; total: number; name: string; needSeconds: number; leftSeconds: number }): void;
  /** A run finished and was appended to the results file; `etaSeconds` prices the runs left. */
  onRunDone?(p: {
    index: number;
    total: number;
    summary: RunSummary;
    elapsedSeconds: number;
    etaSeconds: number;
  }): void;
}

export interface SweepOptions {
  backend: BackendInfo;
  dataDir?: string | undefined;
  /** Start no run that would not end by this time (epoch ms), priced by the time model. */
  until?: number | undefined;
  signals?: boolean;
  callbacks?: SweepCallbacks;
}

/**
 * Train the runs a sweep has to do, in order, each in its folder under the runs directory (resumed from its
 * checkpoint if it has one), appending each summary to the results file as it finishes. A dataset is loaded once for
 * the runs that share it. Returns the number of runs left for a later call because of the deadline.
 */
export async function runSweep(status: SweepStatus, opts: SweepOptions): Promise<{ skipped: number }> {
  const cb = opts.callbacks ?? {};
  const { todo, finished, epochsDone } = status;
  const cache = new Map<string, DatasetPair>();
  const started = performance.now();
  let skipped = 0;
  for (const [i, cfg] of todo.entries()) {
    const name = runName(cfg);
    if (opts.until !== undefined) {
      const need = sweepEta([cfg], finished, epochsDone);
      if (!fitsBefore(need, Date.now(), opts.until)) {
        skipped++;
        cb.onSkipped?.({
          index: i,
          total: todo.length,
          name,
          needSeconds: need,
          leftSeconds: (opts.until - Date.now()) / 1000,
        });
        continue;
      }
    }
    const dataKey = `${cfg.dataset}:${cfg.resize}:${cfg.crop}`;
    if (!cache.has(dataKey)) {
      cache.clear();
      cache.set(dataKey, await loadData(cfg.dataset, opts.dataDir, cfg, cb));
    }
    const callbacks = cb.run?.(cfg, i, todo.length, name) ?? {};
    const summary = await executeRun(cfg, {
      runDir: join(status.runsDir, name),
      resume: true,
      backend: opts.backend,
      data: cache.get(dataKey)!,
      signals: opts.signals ?? false,
      callbacks,
    });
    appendResult(status.resultsPath, summary);
    finished.push(summary);
    cb.onRunDone?.({
      index: i,
      total: todo.length,
      summary,
      elapsedSeconds: (performance.now() - started) / 1000,
      etaSeconds: sweepEta(todo.slice(i + 1), finished, epochsDone),
    });
  }
  return { skipped };
}
