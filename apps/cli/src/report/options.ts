import { getPolicy } from '@dp/policies';

/** Pruner options every policy takes, at their defaults (createPruner's). */
const SCHEDULE_DEFAULTS: Record<string, unknown> = { interval: 1, warmupEpochs: 0, annealEpochs: 0 };

/**
 * A run's policy options without those at their default values, so that `epsilon=0.1` (ε-greedy's default) and no
 * option at all are one method. The defaults are the policy's own (parseOptions of no options); a policy this
 * process does not know (a plug-in that is not loaded) keeps its options as they are.
 */
export function effectiveOptions(policy: string, options: Record<string, unknown>): Record<string, unknown> {
  let defaults: Record<string, unknown> = { ...SCHEDULE_DEFAULTS };
  try {
    if (policy !== 'static') {
      const parsed = getPolicy(policy).parseOptions({}, { datasetSize: 1000, pruneRatio: 0.5, totalEpochs: 10, seed: 0, keep: 500 }) as Record<string, unknown>;
      defaults = { ...defaults, ...parsed };
    } else defaults.offset = 0;
  } catch {
    return { ...options };
  }
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => !(k in defaults && defaults[k] === v)));
}
