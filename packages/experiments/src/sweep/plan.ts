import { fingerprint, type RunConfig } from '../config/config.js';
import { describeMethod } from '../config/equal-steps.js';
import { consumesScoreFile, fullDataMethod, roleOf } from '../config/methods.js';
import { ExperimentError } from '../errors.js';
import { checkSweepOptions, optionsFor, planRun } from '../run/plan.js';
import { runName } from './results-file.js';

/** The methods a sweep (dp bench) runs when none are given. */
export const DEFAULT_SWEEP_METHODS: readonly string[] = ['full', 'random', 'ucb'];

/** A sweep: every dataset × model × seed × method × ratio (the full-data method once per seed, at ratio 0). */
export interface SweepSpec {
  datasets: readonly string[];
  models: readonly string[];
  seeds: readonly number[];
  policies: readonly string[];
  ratios: readonly number[];
  /** The score file of the methods that consume one. */
  scoreFile?: string | undefined;
}

/**
 * One planned run of a sweep over `base`: the method's share of the sweep's policy options, the score file if it
 * reads one, checked before anything loads (planRun).
 */
function sweepRun(
  base: RunConfig,
  policy: string,
  pruneRatio: number,
  seed: number,
  scoreFile: string | undefined,
  more: Partial<RunConfig> = {},
): RunConfig {
  const file = consumesScoreFile(policy) && scoreFile !== undefined ? { scoreFile } : {};
  return planRun(
    { ...more, seed, policy, pruneRatio, policyOptions: optionsFor(policy, base.policyOptions), ...file },
    base,
  );
}

/**
 * The runs of a sweep, each checked, with the sweep's policy options refused where no method takes them; two entries
 * that are the same run (one key) are refused, naming both, since they would train once and be recorded twice.
 */
export function planSweep(spec: SweepSpec, base: RunConfig): RunConfig[] {
  checkSweepOptions([...spec.policies], base.policyOptions);
  const plan: RunConfig[] = [];
  for (const dataset of spec.datasets)
    for (const model of spec.models)
      for (const seed of spec.seeds)
        for (const policy of spec.policies)
          for (const pruneRatio of roleOf(policy) === 'full-data' ? [0] : spec.ratios)
            plan.push(sweepRun(base, policy, pruneRatio, seed, spec.scoreFile, { dataset, model }));
  const planned = new Map<string, RunConfig>();
  for (const c of plan) {
    const k = fingerprint(c);
    const other = planned.get(k);
    if (other)
      throw new ExperimentError(
        `the sweep plans the same run twice (${runName(c)}: ${describeMethod(other)} and ${describeMethod(c)}, seed ${c.seed}); fix: give each policy, ratio, seed, dataset and model once`,
      );
    planned.set(k, c);
  }
  return plan;
}

/** A comparison: per seed, the full-data run, then every method at every ratio (full data given among them is dropped). */
export function planComparison(spec: Omit<SweepSpec, 'datasets' | 'models'>, base: RunConfig): RunConfig[] {
  const policies = spec.policies.filter((p) => roleOf(p) !== 'full-data');
  checkSweepOptions(policies, base.policyOptions);
  return spec.seeds.flatMap((seed) => [
    sweepRun(base, fullDataMethod(), 0, seed, spec.scoreFile),
    ...policies.flatMap((policy) =>
      spec.ratios.map((pruneRatio) => sweepRun(base, policy, pruneRatio, seed, spec.scoreFile)),
    ),
  ]);
}
