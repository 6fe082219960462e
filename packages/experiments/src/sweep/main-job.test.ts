import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, validateRunConfig } from '../config/config.js';
import { EQUAL_STEPS } from '../config/equal-steps.js';
import { configFromFlags, runFlagsHelp } from '../config/flags.js';
import { fullDataMethod, recommendedMethod, uniformMethod } from '../config/methods.js';
import { RECOMMENDED_PRUNE_RATIO } from '../config/auto-policy.js';
import {
  COMPARE_DEFAULTS,
  COMPARE_PROTOCOLS,
  compareConfig,
  compareDefaults,
  compareProtocolsText,
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

  it("is the dataset's own: a dataset without a measured protocol starts from the run defaults, not Fashion-MNIST's", () => {
    expect([...COMPARE_PROTOCOLS.keys()]).toEqual([DEFAULTS.dataset]);
    expect(compareConfig({})).toEqual(COMPARE_DEFAULTS);
    expect(compareConfig({ dataset: 'fashion-mnist', epochs: '3' })).toEqual({ ...COMPARE_DEFAULTS, epochs: 3 });
    // CIFAR-10 has no protocol: all its data, the run's default epochs (before: a 20,000-image subset for 12 epochs).
    expect(compareDefaults('cifar10')).toEqual(DEFAULTS);
    expect(compareConfig({ dataset: 'cifar10' })).toEqual({ ...DEFAULTS, dataset: 'cifar10' });
    expect(compareConfig({ dataset: 'cifar10', epochs: '30', 'train-subset': '5000' })).toMatchObject({
      dataset: 'cifar10',
      epochs: 30,
      trainSubset: 5000,
    });
    // The dataset may come from --config too; the protocol follows it, and the file's fields win over the protocol.
    const dir = mkdtempSync(join(tmpdir(), 'dp-compare-'));
    const file = (cfg: object) => {
      const path = join(dir, `${Object.values(cfg).join('-')}.json`);
      writeFileSync(path, JSON.stringify(cfg));
      return path;
    };
    expect(compareConfig({ config: file({ dataset: 'mnist' }) })).toEqual({ ...DEFAULTS, dataset: 'mnist' });
    expect(compareConfig({ config: file({ dataset: 'fashion-mnist', epochs: 4 }) })).toEqual({
      ...COMPARE_DEFAULTS,
      epochs: 4,
    });
    expect(compareProtocolsText().split('\n')).toEqual([
      '  fashion-mnist: a 20000-sample subset, 12 epochs, warm-up 0.05',
      `  any other dataset: none, dp train's defaults (all the data, ${DEFAULTS.epochs} epochs, warm-up ${DEFAULTS.warmup})`,
    ]);
  });
});
