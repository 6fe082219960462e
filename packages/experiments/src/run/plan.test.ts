import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import { checkSweepOptions, optionsFor, planRun } from './plan.js';

describe('sweep plans (dp compare, dp bench)', () => {
  it('gives each policy only the options it takes, and full data none', () => {
    const options = { epsilon: 0.2, c: 2, interval: 2 };
    expect(optionsFor('full', options)).toEqual({});
    expect(optionsFor('epsilon-greedy', options)).toEqual({ epsilon: 0.2, interval: 2 });
    expect(optionsFor('ucb', options)).toEqual({ c: 2, interval: 2 });
    expect(optionsFor('random', options)).toEqual({ interval: 2 });
  });

  it('refuses an option no pruning policy of the sweep takes, naming what each takes', () => {
    expect(() => checkSweepOptions(['full', 'epsilon-greedy', 'ucb'], { epsilon: 0.2, c: 2 })).not.toThrow();
    expect(() => checkSweepOptions(['full', 'random'], { epsilon: 0.2 })).toThrow(
      "--policy-option epsilon=0.2: no policy in this sweep takes 'epsilon' (random: interval, warmupEpochs, annealEpochs); fix: drop it or add a policy that takes it",
    );
    expect(() => checkSweepOptions(['full'], { interval: 2 })).toThrow(/only full data, which takes no options/);
  });

  it('checks policy option values before anything trains', () => {
    expect(planRun({ policy: 'ucb', pruneRatio: 0.5, policyOptions: { c: 2 } }, DEFAULTS).policyOptions).toEqual({
      c: 2,
    });
    expect(() => planRun({ policy: 'ucb', pruneRatio: 0.5, policyOptions: { c: -1 } }, DEFAULTS)).toThrow(
      "policy 'ucb': c = -1 is invalid",
    );
    expect(() =>
      planRun({ policy: 'epsilon-greedy', pruneRatio: 0.5, policyOptions: { epsilon: 2 } }, DEFAULTS),
    ).toThrow("policy 'epsilon-greedy': epsilon = 2 is invalid");
    expect(() => planRun({ policy: 'random', pruneRatio: 0.5, seed: 5_000_000_000 }, DEFAULTS)).toThrow(
      /seed = 5000000000 is invalid/,
    );
  });
});
