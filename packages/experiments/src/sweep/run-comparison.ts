import { join } from 'node:path';
import type { DatasetPair } from '@dp/data';
import type { BackendInfo } from '../backend.js';
import { fileStamp } from '../format.js';
import type { RunConfig } from '../config/config.js';
import { methodTag } from '../config/equal-steps.js';
import { executeRun, type RunCallbacks } from '../run/run.js';
import type { RunSummary } from '../run/summary.js';

export interface ComparisonOptions {
  /** The comparison's folder: one run directory per planned run, and the report. */
  outDir: string;
  backend: BackendInfo;
  /** The dataset every run of the plan trains on, loaded once. */
  data: DatasetPair;
  signals?: boolean;
  /** The callbacks of one run about to start, given its place in the plan and its folder's name. */
  run?(cfg: RunConfig, index: number, total: number, name: string): RunCallbacks;
}

/** A comparison's run folder: `<method tag>-s<seed>`. */
export const comparisonRunName = (cfg: RunConfig): string => `${methodTag(cfg)}-s${cfg.seed}`;

/**
 * Train the runs of a comparison (planComparison), in order, each in its folder under `outDir`, always resumable: a
 * finished run returns its summary, an interrupted one continues from its checkpoint (`dp compare --resume`).
 */
export async function runComparison(plan: readonly RunConfig[], o: ComparisonOptions): Promise<RunSummary[]> {
  const results: RunSummary[] = [];
  for (const [i, cfg] of plan.entries()) {
    const name = comparisonRunName(cfg);
    results.push(
      await executeRun(cfg, {
        runDir: join(o.outDir, name),
        resume: true,
        backend: o.backend,
        data: o.data,
        signals: o.signals ?? false,
        callbacks: o.run?.(cfg, i, plan.length, name) ?? {},
      }),
    );
  }
  return results;
}

/** Where a comparison goes: --resume DIR, else --out DIR, else a new runs/compare-<time>. */
export function comparisonDir(values: Record<string, unknown>, root = 'runs'): string {
  if (typeof values.resume === 'string') return values.resume;
  if (typeof values.out === 'string') return values.out;
  const stamp = fileStamp();
  return join(root, `compare-${stamp}`);
}
