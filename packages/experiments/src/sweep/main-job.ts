import { RECOMMENDED_PRUNE_RATIO } from '../config/auto-policy.js';
import { validateRunConfig, type RunConfig } from '../config/config.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { recommendedMethod, uniformMethod } from '../config/methods.js';

/**
 * The main job's protocol: what `dp compare` runs when only the data is given (README, "Quick start"). It must show
 * the real effect of pruning in about 5 minutes on a 2-core machine, so full data has to be close to converged
 * (3 epochs of all of Fashion-MNIST mostly showed under-training, which any pruned run suffers more): a class-balanced
 * 20,000-sample training subset for 12 epochs (cosine, 5% linear warm-up), where full data's test accuracy levels
 * off over the last epochs, measured in README's main-job section. Every field is a run option of the field table
 * (validated by it) and every flag overrides it, `--train-subset 0` for all the data.
 */
export const COMPARE_DEFAULTS: RunConfig = validateRunConfig({ trainSubset: 20000, epochs: 12, warmup: 0.05 });

/**
 * What it compares, beside full data, at RECOMMENDED_PRUNE_RATIO: the equal-steps baseline (full data for the same
 * optimizer steps), the uniform-random reference and the recommended policy, each found from the policies' metadata.
 */
export const DEFAULT_COMPARE_METHODS: readonly string[] = [EQUAL_STEPS, uniformMethod(), recommendedMethod()];

/** Its prune ratios (--ratios) and seeds (--seeds). */
export const DEFAULT_COMPARE_RATIOS: readonly number[] = [RECOMMENDED_PRUNE_RATIO];
export const DEFAULT_COMPARE_SEEDS: readonly number[] = [0];
