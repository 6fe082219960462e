import { describe, expect, it } from 'vitest';
import { DEFAULTS, validateRunConfig } from '../config/config.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { configFromFlags, runFlagsHelp } from '../config/flags.js';
import { fullDataMethod, recommendedMethod, uniformMethod } from '../config/methods.js';
import { RECOMMENDED_PRUNE_RATIO } from '../config/auto-policy.js';
import {
  COMPARE_DEFAULTS,
  DEFAULT_COMPARE_METHODS,
  DEFAULT_COMPARE_RATIOS,
  DEFAULT_COMPARE_SEEDS,
} from './main-job.js';
import { planComparison } from './plan.js';

describe("the main job's protocol (dp compare with no options)", () => {
  it('compares full data, the equal-steps baseline, uniform random and the recommended policy at the recommended ratio', () => {
    expect(DEFAULT_COMPARE_METHODS).toEqual([EQUAL_STEPS, uniformMethod(), recommendedMethod()]);
    expect(DEFAULT_COMPARE_RATIOS).toEqual([RECOMMENDED_PRUNE_RATIO]);
    const plan = planComparison(
      { policies: DEFAULT_COMPARE_METHODS, ratios: DEFAULT_COMPARE_RATIOS, seeds: DEFAULT_COMPARE_SEEDS },
      COMPARE_DEFAULTS,
    );
    expect(plan.map((c) => [c.policy, c.pruneRatio, c.epochs, c.trainSubset])).toEqual([
      [fullDataMethod(), 0, COMPARE_DEFAULTS.epochs, COMPARE_DEFAULTS.trainSubset],
      [
        fullDataMethod(),
        0,
        Math.ceil(COMPARE_DEFAULTS.epochs * (1 - RECOMMENDED_PRUNE_RATIO)),
        COMPARE_DEFAULTS.trainSubset,
      ],
      [uniformMethod(), RECOMMENDED_PRUNE_RATIO, COMPARE_DEFAULTS.epochs, COMPARE_DEFAULTS.trainSubset],
      [recommendedMethod(), RECOMMENDED_PRUNE_RATIO, COMPARE_DEFAULTS.epochs, COMPARE_DEFAULTS.trainSubset],
    ]);
  });

  it('is a run config of the field table, which every flag overrides, and its help shows its defaults', () => {
    expect(validateRunConfig(JSON.parse(JSON.stringify(COMPARE_DEFAULTS)) as Record<string, unknown>)).toEqual(
      COMPARE_DEFAULTS,
    );
    const changed = Object.keys(COMPARE_DEFAULTS).filter(
      (k) =>
        JSON.stringify(COMPARE_DEFAULTS[k as keyof typeof DEFAULTS]) !==
        JSON.stringify(DEFAULTS[k as keyof typeof DEFAULTS]),
    );
    // The protocol states its warm-up itself (the run default is 0.05 too, since session 15), so that it stays the
    // measured protocol if the run default ever changes.
    expect(changed.sort()).toEqual(['epochs', 'trainSubset']);
    expect([COMPARE_DEFAULTS.trainSubset, COMPARE_DEFAULTS.epochs, COMPARE_DEFAULTS.warmup]).toEqual([20000, 12, 0.05]);
    expect(configFromFlags({ 'train-subset': '0', epochs: '3' }, COMPARE_DEFAULTS)).toMatchObject({
      trainSubset: 0,
      epochs: 3,
      warmup: COMPARE_DEFAULTS.warmup,
    });
    const help = runFlagsHelp([], COMPARE_DEFAULTS);
    expect(help).toContain(`--epochs N              (default ${COMPARE_DEFAULTS.epochs})`);
    expect(help).toContain(`(default ${COMPARE_DEFAULTS.trainSubset}; 0 = all)`);
    expect(runFlagsHelp()).toContain(`--epochs N              (default ${DEFAULTS.epochs})`);
  });
});
