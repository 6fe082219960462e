import { createPruner, PrunerError } from '@dp/policies';
import { ExperimentError } from '../errors.js';
import { AUTO_POLICY, resolveAuto } from '../config/auto-policy.js';
import { validateRunConfig, type RunConfig } from '../config/config.js';
import { consumesScoreFile, isBaseline, knownMethod, methodInfo, methodNames, roleOf } from '../config/methods.js';

/** The options `policy` accepts: the schedule options and its own. */
function accepted(policy: string): readonly string[] {
  return methodInfo(policy).optionNames;
}

/**
 * A PrunerError from building a run's pruner, as one CLI line with a fix: the field is an option of the policy
 * (--policy-option), the prune ratio (--prune-ratio / --ratios) or one of the schedule options.
 */
export function prunerError(policy: string, e: PrunerError): ExperimentError {
  const field = e.field.split(/[.[]/)[0]!;
  const fix =
    field === 'pruneRatio'
      ? `give a prune ratio in the range above (--prune-ratio, or --ratios in a sweep)`
      : field === 'policy'
        ? `use a registered policy`
        : e.allowed.startsWith('no such option')
          ? `drop --policy-option ${field} (or the policyOptions field of the --config file)`
          : `give --policy-option ${field}=VALUE with a value in the range above, or leave it out for its default (packages/policies/docs/${policy}.md)`;
  // @dp/policies lists every createPruner field as an option; of those, --policy-option sets only the policy's own.
  const problem = e.problem.replace(/\(options: [^)]*\)/, `(its options: ${accepted(policy).join(', ')})`);
  return new ExperimentError(`policy '${policy}': ${problem}; fix: ${fix}`);
}

export { isBaseline };

/**
 * A --policies item: a registered policy, equal-steps, or auto for the recommended policy (resolved to its name);
 * unknown names are refused with the known ones.
 */
export function checkMethod(name: string): string {
  const method = resolveAuto(name);
  if (!knownMethod(method))
    throw new ExperimentError(
      `policy = ${JSON.stringify(name)} is invalid: expected one of ${[...methodNames(), AUTO_POLICY].join(', ')}; fix: use one of those names in --policies`,
    );
  return method;
}

/**
 * The share of a sweep's --policy-option values that one run takes: the baselines (full data, equal-steps) none
 * (they are the references every method is compared with), every other policy the schedule options and its own. So
 * `--policies epsilon-greedy,ucb --policy-option epsilon=0.2` sets ε for ε-greedy alone.
 */
export function optionsFor(
  policy: string,
  options: Record<string, number | string | boolean>,
): Record<string, number | string | boolean> {
  if (isBaseline(policy)) return {};
  const ok = accepted(policy);
  return Object.fromEntries(Object.entries(options).filter(([k]) => ok.includes(k)));
}

/** Refuse a --policy-option that no pruning policy of the sweep takes (it would silently change nothing). */
export function checkSweepOptions(policies: string[], options: Record<string, unknown>): void {
  const pruning = policies.filter((p) => !isBaseline(p));
  for (const key of Object.keys(options)) {
    if (pruning.some((p) => accepted(p).includes(key))) continue;
    const baselines = policies.some((p) => roleOf(p) === 'matched-steps')
      ? 'full data and equal-steps, which take'
      : 'full data, which takes';
    const takes = pruning.length
      ? pruning.map((p) => `${p}: ${accepted(p).join(', ')}`).join('; ')
      : `none: the sweep has only ${baselines} no options`;
    throw new ExperimentError(
      `--policy-option ${key}=${String(options[key])}: no policy in this sweep takes '${key}' (${takes}); fix: drop it or add a policy that takes it`,
    );
  }
}

/**
 * One planned run, checked before anything loads or trains: the run config, and the policy options by building the
 * pruner on a nominal dataset (runs of a score file, whose options depend on it, are checked when they start).
 */
export function planRun(raw: Record<string, unknown>, base: RunConfig): RunConfig {
  const cfg = validateRunConfig(raw, base);
  if (!consumesScoreFile(cfg.policy)) {
    try {
      createPruner({
        ...cfg.policyOptions,
        policy: cfg.policy,
        datasetSize: 1000,
        pruneRatio: cfg.pruneRatio,
        totalEpochs: cfg.epochs,
        seed: cfg.seed,
      });
    } catch (e) {
      if (e instanceof PrunerError) throw prunerError(cfg.policy, e);
      throw e;
    }
  }
  return cfg;
}
