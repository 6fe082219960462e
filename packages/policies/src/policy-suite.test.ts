// The property suite of @dp/policies/testing run over EVERY registered policy: a new policy must add its options
// generator below.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyNames, SAMPLER_VERSIONS } from './index.js';
import { fakeLoss, runPolicySuite } from './testing.js';

type Extra = (n: number, keep: number, salt: number) => fc.Arbitrary<Record<string, unknown>>;
const OPTIONS: Record<string, Extra> = {
  full: () => fc.constant({}),
  random: () => fc.constant({}),
  // ramp's slope must leave the last epoch within the data: a in [0, min(1, (1 - f)/f)], f = keep/n.
  ramp: (n, keep) => fc.double({ min: 0, max: Math.min(1, (n - keep) / keep), noNaN: true }).map((ramp) => ({ ramp })),
  'epsilon-greedy': () =>
    fc
      .record({
        epsilon: fc.double({ min: 0, max: 1, noNaN: true }),
        decay: fc.double({ min: 0, max: 0.99, noNaN: true }),
        epsilonSchedule: fc.constantFrom('constant', 'linear', 'exponential'),
        share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      })
      // epsilonFinal only with a decaying schedule, in (0, epsilon] (a subnormal epsilon * share can round to 0).
      .map(({ share, ...o }) =>
        o.epsilonSchedule === 'constant' ? o : { ...o, epsilonFinal: o.epsilon * share || o.epsilon },
      ),
  ucb: () =>
    fc.record({
      c: fc.double({ min: 0, max: 5, noNaN: true }),
      decay: fc.double({ min: 0, max: 0.99, noNaN: true }),
      bonus: fc.constantFrom('std', 'count'),
    }),
  importance: () =>
    fc.record({
      c: fc.double({ min: 0, max: 5, noNaN: true }),
      decay: fc.double({ min: 0, max: 0.99, noNaN: true }),
      mix: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  infobatch: () => fc.record({ delta: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
  // The pool must hold the largest per-epoch keep, which depends on the tail: an explicit poolRatio of 1, or none.
  'reweighted-pool': () =>
    fc.record({
      poolRatio: fc.option(fc.constant(1), { nil: undefined }),
      maxWeight: fc.double({ min: 1, max: 20, noNaN: true }),
      tailBudget: fc.double({ min: 0, max: 0.9, noNaN: true }),
    }),
  repb: () =>
    fc.record({ window: fc.integer({ min: 1, max: 4 }), maxWeight: fc.double({ min: 1, max: 20, noNaN: true }) }),
  orderdp: (n, keep) =>
    fc.record({
      poolRatio: fc.option(fc.double({ min: keep / n, max: 1, noNaN: true }), { nil: undefined }),
      initialScore: fc.double({ min: -5, max: 5, noNaN: true }),
    }),
  seta: () =>
    fc.integer({ min: 1, max: 12 }).chain((groups) =>
      fc.record({
        groups: fc.constant(groups),
        windowScale: fc.double({ min: 0.6 / groups, max: 1, noNaN: true }),
        delta: fc.double({ min: 0.05, max: 1, noNaN: true }),
        initialScore: fc.double({ min: -5, max: 5, noNaN: true }),
      }),
    ),
  static: (n, keep, salt) =>
    fc.record({
      // Few distinct values, so ties are common.
      scores: fc.constant(Float32Array.from({ length: n }, (_, i) => Math.floor(fakeLoss(salt, i, -1) * 2))),
      offset: fc.integer({ min: 0, max: n - keep }),
    }),
};

it('the suite covers every registered policy', () => {
  expect(Object.keys(OPTIONS).sort()).toEqual(policyNames().sort());
});

// Every policy under every selection-algorithm version: new runs (the latest) and runs resuming older checkpoints.
for (const policy of policyNames()) {
  for (const sampler of SAMPLER_VERSIONS) {
    runPolicySuite(
      policy,
      { describe, it, expect },
      {
        options: (_fc, n, keep, salt) => OPTIONS[policy]!(n, keep, salt),
        variableSize: ['infobatch', 'seta', 'ramp', 'reweighted-pool'].includes(policy),
        sampler,
      },
    );
  }
}
