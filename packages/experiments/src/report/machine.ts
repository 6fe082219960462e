import type { RunSummary } from '../run/summary.js';

/**
 * Machine speed, measured by a run's own evaluation passes.
 *
 * Costs are wall-clock seconds, and a shared or virtual machine is not equally fast from one day (or session) to the
 * next: a sweep that spans several sittings compares runs made at different machine speeds. Every run evaluates the
 * same test set with the same architecture, a fixed amount of work that does not depend on the method, so the
 * seconds one evaluation pass takes are a probe of the machine's speed during that run, measured throughout the run
 * at no extra cost. A run's speed relative to its full-data baseline is baseline seconds per pass / its seconds per
 * pass; multiplying its training seconds by that factor gives its cost at the baseline's machine speed (a static
 * method's scoring seconds were spent at another time, at a speed the run cannot tell, and are left as measured).
 *
 * The probe is only as good as the time it averages: runs with a few sub-second passes (small models, evaluation
 * once at the end) give noisy factors, so `dp report` only applies the adjustment when asked.
 */

/** Seconds per evaluation pass of a run, or undefined when it never evaluated. */
export function evalSecondsPerPass(run: RunSummary): number | undefined {
  const passes = run.epochs.filter((e) => e.testAccuracy !== undefined).length;
  return passes > 0 && run.evalSeconds > 0 ? run.evalSeconds / passes : undefined;
}

/** Mean seconds per evaluation pass of those runs that evaluated, or undefined if none did. */
function meanPass(runs: RunSummary[]): number | undefined {
  const s = runs.map(evalSecondsPerPass).filter((x): x is number => x !== undefined);
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : undefined;
}

/**
 * Speed of the machine during each run relative to the baseline runs (> 1: faster), from their evaluation passes:
 * mean seconds per pass of the baseline runs / the run's seconds per pass. Undefined for runs (or baselines) that
 * never evaluated.
 */
export function relativeMachineSpeed(runs: RunSummary[], baseline: RunSummary[]): (number | undefined)[] {
  const ref = meanPass(baseline);
  return runs.map((r) => {
    const s = evalSecondsPerPass(r);
    return s === undefined || ref === undefined ? undefined : ref / s;
  });
}

/**
 * Speed of the machine over a group of runs (one method's seeds) relative to the baseline runs: mean seconds per pass
 * of the baseline (the same as relativeMachineSpeed's) / mean seconds per pass of the group, a ratio of means, so the
 * full-data group against itself is exactly 1 however noisy its passes (a mean of per-run ratios is not). Undefined
 * if any run of the group (or every baseline run) never evaluated.
 */
export function groupMachineSpeed(runs: RunSummary[], baseline: RunSummary[]): number | undefined {
  const [group, ref] = [meanPass(runs), meanPass(baseline)];
  const all = runs.every((r) => evalSecondsPerPass(r) !== undefined);
  return all && group !== undefined && ref !== undefined ? ref / group : undefined;
}

/** Machine speeds within this factor of the full-data run's pass without a warning (timing noise is a few %). */
export const MACHINE_TOLERANCE = 1.1;

/** What the adjusted columns mean, for a note under a table. */
export const MACHINE_KEY =
  "machine = the machine's speed during these runs relative to the full-data runs, measured by the seconds their evaluation passes took (the same fixed work in every run: mean full-data pass / mean pass of these runs); adj. speed-up = adjusted full-data cost / adjusted cost, where every run's training seconds (full-data runs included) are rescaled to the full-data runs' mean machine speed by its own evaluation passes (one full-data run: its measured cost), a static method's scoring seconds, spent apart from the run, not rescaled.";
