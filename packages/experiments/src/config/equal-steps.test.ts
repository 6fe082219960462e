import { batchCount } from '@dp/data';
import { createPruner } from '@dp/policies';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, fingerprint, validateRunConfig, type RunConfig } from './config.js';
import { describeMethod, equalStepsEpochs, methodTag } from './equal-steps.js';
import { configFromFlags } from './flags.js';
import { checkMethod, checkSweepOptions, optionsFor, planRun } from '../run/plan.js';
import { trainingOptions } from './recipe.js';

/** The optimizer steps a run takes on a training set of n samples: its pruner's selection, batch by batch. */
function stepsOf(cfg: RunConfig, n: number): number {
  const pruner = createPruner({
    ...cfg.policyOptions,
    policy: cfg.policy,
    datasetSize: n,
    pruneRatio: cfg.pruneRatio,
    totalEpochs: cfg.epochs,
    seed: cfg.seed,
  });
  let steps = 0;
  for (let e = 0; e < cfg.epochs; e++) steps += batchCount(pruner.select(e).indices.length, cfg.batchSize);
  return steps;
}

const CIFAR = { dataset: 'cifar10-jpeg', model: 'resnet20', epochs: 80, lr: 0.1, warmup: 0.02, batchSize: 128 };

describe('the equal-steps baseline', () => {
  it('trains ⌈(1 − r)·E⌉ epochs, without float round-off (0.3 · 80 is 24, not 25)', () => {
    expect(equalStepsEpochs(80, 0.5)).toBe(40);
    expect(equalStepsEpochs(80, 0.7)).toBe(24);
    expect(equalStepsEpochs(3, 0.3)).toBe(3);
    expect(equalStepsEpochs(3, 0.5)).toBe(2);
    expect(equalStepsEpochs(3, 0.8)).toBe(1);
    expect(equalStepsEpochs(1, 0.9)).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 99 }), (e, pct) => {
        // exact in integers: ⌈(100 − pct)·E / 100⌉
        expect(equalStepsEpochs(e, pct / 100)).toBe(Math.ceil(((100 - pct) * e) / 100));
      }),
    );
  });

  it('is resolved in the run config to full data on the shorter run, which records whose baseline it is', () => {
    const cfg = validateRunConfig({ ...CIFAR, policy: 'equal-steps', pruneRatio: 0.5 });
    expect(cfg).toMatchObject({
      policy: 'full',
      pruneRatio: 0,
      epochs: 40,
      warmup: 0.02,
      equalSteps: { epochs: 80, pruneRatio: 0.5 },
    });
    // The learning-rate schedule (warm-up share, cosine) is laid on the 40 epochs trained.
    expect(trainingOptions(cfg)).toMatchObject({ epochs: 40, schedule: { name: 'cosine', lr: 0.1, warmup: 0.02 } });
    // Its config.json read back (dp train --resume, a results file) is the same run.
    expect(validateRunConfig(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>)).toEqual(cfg);
    expect(describeMethod(cfg)).toBe('equal-steps @ 0.5 (full data, 40 of 80 epochs)');
    expect(methodTag(cfg)).toBe('equal-steps-r0.5');
    expect(methodTag(validateRunConfig({ policy: 'random', pruneRatio: 0.5 }))).toBe('random-r0.5');
    expect(methodTag(validateRunConfig({}))).toBe('full');
  });

  it("has its own key, and leaves every other run's key as it was", () => {
    const es = validateRunConfig({ ...CIFAR, policy: 'equal-steps', pruneRatio: 0.5 });
    const full40 = validateRunConfig({ ...CIFAR, epochs: 40 });
    expect(fingerprint(es)).not.toBe(fingerprint(full40)); // a hand-made 40-epoch run is not the baseline of (80, 0.5)
    expect(fingerprint(es)).toContain('["equalSteps",{"epochs":80,"pruneRatio":0.5}]');
    expect(fingerprint(full40)).not.toContain('equalSteps');
    // The record's key order does not matter.
    expect(fingerprint(validateRunConfig({ ...es, equalSteps: { pruneRatio: 0.5, epochs: 80 } }))).toBe(
      fingerprint(es),
    );
    // Other ratios of one E that round to the same epochs stand for other methods: other keys.
    const r07 = validateRunConfig({ epochs: 3, policy: 'equal-steps', pruneRatio: 0.7 });
    const r08 = validateRunConfig({ epochs: 3, policy: 'equal-steps', pruneRatio: 0.8 });
    expect(r07.epochs).toBe(r08.epochs);
    expect(fingerprint(r07)).not.toBe(fingerprint(r08));
  });

  it('refuses what it cannot be: no ratio, policy options, or a record that does not describe the run', () => {
    expect(() => validateRunConfig({ policy: 'equal-steps' })).toThrow(
      /needs a prune ratio in \(0, 1\).*fix: add --prune-ratio/,
    );
    expect(() => validateRunConfig({ policy: 'equal-steps', pruneRatio: 0.5, policyOptions: { c: 2 } })).toThrow(
      /takes no policy options/,
    );
    expect(() => validateRunConfig({ epochs: 30, equalSteps: { epochs: 80, pruneRatio: 0.5 } })).toThrow(
      /equalSteps = \{"epochs":80,"pruneRatio":0.5\} conflicts with .*epochs = 30: the equal-steps baseline of 80 epochs at 0.5 trains full data for 40 epochs/,
    );
    expect(() =>
      validateRunConfig({ epochs: 40, policy: 'random', pruneRatio: 0.5, equalSteps: { epochs: 80, pruneRatio: 0.5 } }),
    ).toThrow(/conflicts with policy = "random"/);
    expect(() => validateRunConfig({ epochs: 40, equalSteps: { epochs: 80 } })).toThrow(
      /equalSteps = \{"epochs":80\} is invalid/,
    );
    expect(() => validateRunConfig({ epochs: 40, equalSteps: { epochs: 80, pruneRatio: 0 } })).toThrow(
      /equalSteps.pruneRatio = 0 is invalid/,
    );
    expect(() => validateRunConfig({ policy: 'bogus' })).toThrow(
      /unknown policy "bogus"; fix: use one of .*equal-steps/,
    );
  });

  it('is what `dp train --policy equal-steps --prune-ratio 0.5 --epochs 80` trains (and --prune-ratio defaults to 0.5)', () => {
    expect(configFromFlags({ policy: 'equal-steps', 'prune-ratio': '0.5', epochs: '80' })).toMatchObject({
      policy: 'full',
      epochs: 40,
      equalSteps: { epochs: 80, pruneRatio: 0.5 },
    });
    expect(configFromFlags({ policy: 'equal-steps', epochs: '6' })).toMatchObject({
      policy: 'full',
      epochs: 3,
      equalSteps: { epochs: 6, pruneRatio: 0.5 },
    });
    // Resuming it (its config.json as the base, no flags) keeps it.
    const resumed = configFromFlags({}, configFromFlags({ policy: 'equal-steps', epochs: '6' }));
    expect(resumed).toMatchObject({ policy: 'full', epochs: 3, equalSteps: { epochs: 6, pruneRatio: 0.5 } });
  });

  it("is a method of a sweep (dp bench, dp compare): planned per ratio at the sweep's epochs, taking no policy options", () => {
    const base = validateRunConfig(CIFAR);
    expect(
      planRun(
        { policy: 'equal-steps', pruneRatio: 0.7, seed: 1, policyOptions: optionsFor('equal-steps', { c: 2 }) },
        base,
      ),
    ).toMatchObject({
      policy: 'full',
      epochs: 24,
      seed: 1,
      equalSteps: { epochs: 80, pruneRatio: 0.7 },
    });
    expect(checkMethod('equal-steps')).toBe('equal-steps');
    expect(() => checkMethod('bogus')).toThrow(
      /policy = "bogus" is invalid: expected one of full, random, .*equal-steps/,
    );
    expect(() => checkSweepOptions(['full', 'equal-steps'], { c: 2 })).toThrow(
      /only full data and equal-steps, which take no options/,
    );
    expect(() => checkSweepOptions(['equal-steps', 'ucb'], { c: 2 })).not.toThrow();
  });

  it("takes about the optimizer steps of random at the same ratio (within one epoch's steps) on the published settings", () => {
    const settings = [
      { ...CIFAR, n: 50_000, ratios: [0.5, 0.7] },
      { dataset: 'fashion-mnist', epochs: 3, batchSize: 128, n: 60_000, ratios: [0.3, 0.5, 0.7, 0.8] },
    ];
    for (const { n, ratios, ...raw } of settings) {
      const base = validateRunConfig(raw);
      for (const pruneRatio of ratios) {
        const equal = stepsOf(planRun({ policy: 'equal-steps', pruneRatio }, base), n);
        const random = stepsOf(planRun({ policy: 'random', pruneRatio }, base), n);
        const epochSteps = batchCount(n, base.batchSize);
        expect(
          Math.abs(equal - random),
          `${raw.dataset} @ ${pruneRatio}: ${equal} vs ${random} steps`,
        ).toBeLessThanOrEqual(epochSteps);
      }
    }
    // CIFAR-10, 80 epochs @ 0.5: 40 × 391 = 15640 steps against random's 80 × ⌈25000 / 128⌉ = 15680.
    expect(stepsOf(validateRunConfig({ ...CIFAR, policy: 'equal-steps', pruneRatio: 0.5 }), 50_000)).toBe(15_640);
    expect(stepsOf(validateRunConfig({ ...CIFAR, policy: 'random', pruneRatio: 0.5 }), 50_000)).toBe(15_680);
  });

  it("property: its steps differ from random's by less than one epoch's steps plus one (partial) batch per epoch", () => {
    // Rounding up to whole epochs adds less than an epoch of steps; each pruned epoch ends in a partial batch.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 1, max: 95 }),
        (n, epochs, batchSize, pct) => {
          const base = validateRunConfig({ ...DEFAULTS, epochs, batchSize });
          const pruneRatio = pct / 100;
          const equal = stepsOf(planRun({ policy: 'equal-steps', pruneRatio }, base), n);
          const random = stepsOf(planRun({ policy: 'random', pruneRatio }, base), n);
          expect(Math.abs(equal - random)).toBeLessThan(batchCount(n, batchSize) + epochs);
        },
      ),
      { numRuns: 200 },
    );
  });
});
