import { sameSetup, type RunConfig } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';

/**
 * The sweep's time model: what the runs left of a sweep should take, priced at the speed the latest finished runs of
 * the same setup (the field table's sameSetup fields) recorded on their own clocks.
 */

/** Epochs of `cfg` from epoch `from` (0-based) on that end with a test evaluation (every evalEvery-th and the last). */
function evaluatedEpochs(cfg: RunConfig, from = 0): number {
  const every = Math.max(1, cfg.evalEvery ?? 1);
  if (from >= cfg.epochs) return 0;
  const regular = Math.floor(cfg.epochs / every) - Math.floor(from / every);
  return regular + (cfg.epochs % every === 0 ? 0 : 1);
}

/**
 * Seconds the runs left should take, from what the finished runs of the same setup recorded on their own clocks (so
 * a run resumed in this process, and runs from earlier sessions, count at their true cost rather than at this
 * process's elapsed time): training at their seconds per epoch of data trained, times the work each run left will
 * train (expectedWork), plus evaluation at their seconds per evaluation pass, times its passes (an evaluation
 * costs the same at any prune ratio). Only the latest stretch of runs counts (latestStretch): the setup's runs in
 * the results' latest stretch, else the setup's own latest stretch, so a sweep resumed on another machine goes at
 * that machine's speed rather than at the mean of every machine it ever ran on.
 * `epochsDone`: epochs a run left already has (from its checkpoint), which it will not train again. Falls back to
 * every finished run when none has this setup; 0 when none has finished.
 */
export function sweepEta(
  left: RunConfig[],
  finished: RunSummary[],
  epochsDone: (cfg: RunConfig) => number = () => 0,
): number {
  const rates = (runs: RunSummary[]) => {
    let train = 0;
    let work = 0;
    let evalSeconds = 0;
    let passes = 0;
    for (const r of runs) {
      train += r.trainingSeconds; // a static run's charged scoring time (scoringSeconds) was not spent in the sweep
      work += r.config.epochs * Math.max(r.trainedFraction, 0.01);
      evalSeconds += r.evalSeconds ?? 0;
      passes += (r.epochs ?? []).filter((e) => e.testAccuracy !== undefined).length;
    }
    return work > 0 ? { train: train / work, eval: passes > 0 ? evalSeconds / passes : 0 } : undefined;
  };
  const stretch = latestStretch(finished);
  const now = new Set(stretch);
  const overall = rates(stretch) ?? { train: 0, eval: 0 };
  let eta = 0;
  for (const cfg of left) {
    const setup = finished.filter((r) => sameSetup(r.config, cfg));
    const rate = rates(setup.filter((r) => now.has(r))) ?? rates(latestStretch(setup)) ?? overall;
    const from = Math.min(Math.max(0, epochsDone(cfg)), cfg.epochs);
    eta +=
      rate.train * expectedWork(cfg, finished) * ((cfg.epochs - from) / cfg.epochs) +
      rate.eval * evaluatedEpochs(cfg, from);
  }
  return eta;
}

/** Minutes between one run's end and the next one's start that still count as one stretch (data loading, a report). */
export const STRETCH_GAP_MINUTES = 10;

/**
 * The runs of the latest uninterrupted stretch of a sweep: walking back from the run that finished last, each earlier
 * run whose end came at most STRETCH_GAP_MINUTES before the start of the run after it (its finishedAt less its
 * recorded training and evaluation seconds). A longer gap is a sweep stopped and started again, possibly on another
 * machine (a new VM, a laptop instead of a workstation), so the runs before it say little about the speed now. All
 * runs when any of them has no valid finishedAt (results written before it was recorded).
 */
export function latestStretch(runs: RunSummary[]): RunSummary[] {
  const timed = runs.map((r) => ({ r, end: Date.parse(r.finishedAt) }));
  if (timed.length < 2 || timed.some((t) => !Number.isFinite(t.end))) return runs;
  timed.sort((a, b) => a.end - b.end);
  let first = timed.length - 1;
  while (first > 0) {
    const next = timed[first]!;
    const start = next.end - 1000 * ((next.r.trainingSeconds || 0) + (next.r.evalSeconds || 0));
    if (timed[first - 1]!.end < start - STRETCH_GAP_MINUTES * 60_000) break;
    first--;
  }
  return timed.slice(first).map((t) => t.r);
}

/**
 * Epochs × the share of the data a run is expected to train, for the sweep's ETA: the mean measured share of the
 * finished runs with the same dataset, policy, ratio and options when there are any (InfoBatch trains a share it
 * chooses itself, annealing adds full epochs); else, from finished runs of that policy at other ratios, 1 − r·q with
 * q their mean (1 − share) / r (the part of its ratio a policy really prunes: 1 for the fixed-size policies, the
 * below-mean share for InfoBatch); else 1 − ratio, the share of the fixed-size policies (1 for full data).
 */
export function expectedWork(cfg: RunConfig, finished: RunSummary[]): number {
  const kin = finished.filter(
    (r) =>
      r.config.dataset === cfg.dataset &&
      r.config.policy === cfg.policy &&
      JSON.stringify(r.config.policyOptions ?? {}) === JSON.stringify(cfg.policyOptions ?? {}),
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const same = kin.filter((r) => r.config.pruneRatio === cfg.pruneRatio);
  const others = kin.filter((r) => r.config.pruneRatio > 0 && r.config.pruneRatio !== cfg.pruneRatio);
  const share = same.length
    ? mean(same.map((r) => r.trainedFraction))
    : others.length
      ? 1 -
        cfg.pruneRatio *
          Math.min(1, Math.max(0, mean(others.map((r) => (1 - r.trainedFraction) / r.config.pruneRatio))))
      : 1 - cfg.pruneRatio;
  return cfg.epochs * Math.max(share, 0.01);
}
