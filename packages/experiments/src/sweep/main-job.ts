import { RECOMMENDED_PRUNE_RATIO } from '../config/auto-policy.js';
import { DEFAULTS, validateRunConfig, type RunConfig } from '../config/config.js';
import { configFromFlags } from '../config/flags.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { recommendedMethod, uniformMethod } from '../config/methods.js';

/**
 * The main job's protocol per dataset: what `dp compare` starts from when only the data is given (README, "Quick
 * start"), for the datasets where one was measured. It must show the real effect of pruning in about 5 minutes on a
 * 2-core machine, so full data has to be close to converged. Fashion-MNIST's (3 epochs of all of it mostly showed
 * under-training, which any pruned run suffers more): a class-balanced 20,000-sample training subset for 12 epochs
 * (cosine, 5% linear warm-up), where full data's test accuracy levels off over the last epochs, measured in README's
 * main-job section. A dataset without an entry has no protocol: dp compare starts from the run defaults (all its
 * data), since a subset and epochs measured on one dataset say nothing about another. Every field is a run option of
 * the field table (validated by it) and every flag overrides it, `--train-subset 0` for all the data.
 */
export const COMPARE_PROTOCOLS: ReadonlyMap<string, Readonly<Partial<RunConfig>>> = new Map([
  ['fashion-mnist', { trainSubset: 20000, epochs: 12, warmup: 0.05 }],
]);

/** The run config dp compare starts from on `dataset`: its protocol, or the run defaults when it has none. */
export function compareDefaults(dataset: string): RunConfig {
  const protocol = COMPARE_PROTOCOLS.get(dataset);
  return protocol ? validateRunConfig({ ...protocol, dataset }) : DEFAULTS;
}

/** The main job with no options at all: the protocol of the default dataset. */
export const COMPARE_DEFAULTS: RunConfig = compareDefaults(DEFAULTS.dataset);

/**
 * dp compare's base run config from its flags: --config, then flags, over the protocol of the dataset they name (the
 * run defaults for a dataset without one). Give it the flags that set run options only.
 */
export function compareConfig(values: Record<string, unknown>): RunConfig {
  return configFromFlags(values, compareDefaults(configFromFlags(values).dataset));
}

/** The protocols, a line each (two-space indent), and what a dataset without one starts from: for `dp compare --help`. */
export function compareProtocolsText(): string {
  const describe = (cfg: RunConfig) =>
    `${cfg.trainSubset ? `a ${cfg.trainSubset}-sample subset` : 'all the data'}, ${cfg.epochs} epochs, warm-up ${cfg.warmup}`;
  const each = [...COMPARE_PROTOCOLS.keys()].map((dataset) => `  ${dataset}: ${describe(compareDefaults(dataset))}`);
  return [...each, `  any other dataset: none, dp train's defaults (${describe(DEFAULTS)})`].join('\n');
}

/**
 * What it compares, beside full data, at RECOMMENDED_PRUNE_RATIO: the equal-steps baseline (full data for the same
 * optimizer steps), the uniform-random reference and the recommended policy, each found from the policies' metadata.
 */
export const DEFAULT_COMPARE_METHODS: readonly string[] = [EQUAL_STEPS, uniformMethod(), recommendedMethod()];

/** Its prune ratios (--ratios) and seeds (--seeds). */
export const DEFAULT_COMPARE_RATIOS: readonly number[] = [RECOMMENDED_PRUNE_RATIO];
export const DEFAULT_COMPARE_SEEDS: readonly number[] = [0];
