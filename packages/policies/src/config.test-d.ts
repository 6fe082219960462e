// Type tests of the pruner config (`vitest run` type-checks this file; `npm run typecheck` compiles it too): every
// `@ts-expect-error` line must fail to compile, everything else must compile.
import { describe, expectTypeOf, it } from 'vitest';
import {
  createPruner,
  Pruner,
  registerPolicy,
  type CustomPrunerConfig,
  type EpsilonGreedyOptions,
  type Policy,
  type PolicyConfig,
  type PrunerConfig,
  type PrunerFor,
  type UcbOptions,
} from './index.js';

const common = { datasetSize: 1000, pruneRatio: 0.5, totalEpochs: 10, seed: 1 };

describe('built-in policies: checked at compile time', () => {
  it('accepts each policy with the common options and its own options, all optional', () => {
    createPruner({ policy: 'full', ...common });
    createPruner({ policy: 'random', ...common, interval: 2, warmupEpochs: 1, annealEpochs: 1 });
    createPruner({
      policy: 'epsilon-greedy',
      ...common,
      epsilon: 0.2,
      decay: 0.8,
      epsilonSchedule: 'linear',
      epsilonFinal: 0.01,
    });
    createPruner({ policy: 'ucb', ...common, c: 2, decay: 0.9, bonus: 'count' });
    createPruner({ policy: 'importance', ...common, c: 1, mix: 0.3 });
    createPruner({ policy: 'infobatch', ...common, delta: 0.8 });
    createPruner({ policy: 'static', ...common, scores: new Float32Array(1000), offset: 10 });
    createPruner({ policy: 'static', ...common, scores: Array.from({ length: 1000 }, (_, i) => i) });
    createPruner({ policy: 'orderdp', ...common, poolRatio: 0.8, initialScore: 3 });
    createPruner({ policy: 'seta', ...common, groups: 5, windowScale: 0.5, delta: 0.875, initialScore: 3 });
    createPruner({ policy: 'repb', ...common, window: 2, maxWeight: 10 });
    createPruner({ policy: 'ramp', ...common, ramp: 0.5 });
    createPruner({ policy: 'reweighted-pool', ...common, poolRatio: 0.8, maxWeight: 10, tailBudget: 0.25 });
    new Pruner({ policy: 'ucb', ...common, c: 1 });
    const ok: PrunerConfig = { policy: 'ucb', ...common, c: 1 };
    createPruner(ok);
    const alsoOk = { policy: 'ucb', ...common, c: 1 } satisfies PrunerConfig;
    expectTypeOf(createPruner(alsoOk)).toEqualTypeOf<PrunerFor<'ucb'>>();
  });

  it('refuses an unknown policy name', () => {
    // @ts-expect-error -- 'ucbb' is not a built-in policy
    createPruner({ policy: 'ucbb', ...common });
    // @ts-expect-error -- nor is a registered policy's name, written as a literal (see CustomPrunerConfig)
    createPruner({ policy: 'my-policy', ...common });
    // @ts-expect-error -- a PrunerConfig names a built-in policy
    const bad: PrunerConfig = { policy: 'ucbb', ...common };
    expectTypeOf(bad).toEqualTypeOf<PrunerConfig>();
  });

  it("refuses another policy's option", () => {
    // @ts-expect-error -- epsilon is epsilon-greedy's option, not ucb's
    createPruner({ policy: 'ucb', ...common, epsilon: 0.1 });
    // @ts-expect-error -- random has no options of its own
    createPruner({ policy: 'random', ...common, c: 1 });
    // @ts-expect-error -- nor does full
    createPruner({ policy: 'full', ...common, delta: 0.5 });
    // @ts-expect-error -- mix belongs to importance
    new Pruner({ policy: 'ucb', ...common, mix: 0.5 });
    // @ts-expect-error -- a misspelt option
    createPruner({ policy: 'epsilon-greedy', ...common, epsilonFinall: 0.01 });
  });

  it('refuses a wrongly typed option', () => {
    // @ts-expect-error -- c is a number
    createPruner({ policy: 'ucb', ...common, c: 'big' });
    // @ts-expect-error -- bonus is 'std' or 'count'
    createPruner({ policy: 'ucb', ...common, bonus: 'ucb1' });
    // @ts-expect-error -- epsilonSchedule is 'constant', 'linear' or 'exponential'
    createPruner({ policy: 'epsilon-greedy', ...common, epsilonSchedule: 'cosine' });
    // @ts-expect-error -- null is not "left out"
    createPruner({ policy: 'infobatch', ...common, delta: null });
    // @ts-expect-error -- the common options are typed too
    createPruner({ policy: 'random', ...common, interval: '2' });
    // @ts-expect-error -- scores are numbers
    createPruner({ policy: 'static', ...common, scores: ['1', '2'] });
  });

  it("requires the common options and the static policy's scores", () => {
    // @ts-expect-error -- datasetSize is missing
    createPruner({ policy: 'random', pruneRatio: 0.5, totalEpochs: 10, seed: 1 });
    // @ts-expect-error -- static ranks a given score array
    createPruner({ policy: 'static', ...common });
  });

  it('types pruner.options and pruner.config.policy by the policy', () => {
    const ucb = createPruner({ policy: 'ucb', ...common });
    expectTypeOf(ucb).toEqualTypeOf<PrunerFor<'ucb'>>();
    expectTypeOf(ucb).toExtend<Pruner>();
    expectTypeOf(ucb.options).toExtend<Readonly<UcbOptions>>();
    expectTypeOf(ucb.options.c).toEqualTypeOf<number>();
    expectTypeOf(ucb.options.bonus).toEqualTypeOf<'std' | 'count'>();
    expectTypeOf(ucb.config.policy).toEqualTypeOf<'ucb'>();
    const eg = createPruner({ policy: 'epsilon-greedy', ...common, epsilonSchedule: 'exponential' });
    expectTypeOf(eg.options).toExtend<Readonly<EpsilonGreedyOptions>>();
    expectTypeOf(eg.options.epsilonFinal).toEqualTypeOf<number | undefined>();
    expectTypeOf(
      createPruner({ policy: 'static', ...common, scores: [1, 2] }).options.scores,
    ).toEqualTypeOf<Float32Array>();
    // A union of policies gives the union of their options.
    const either = (policy: 'ucb' | 'importance') => createPruner({ policy, ...common, c: 2 });
    expectTypeOf(either).returns.toEqualTypeOf<PrunerFor<'ucb' | 'importance'>>();
    expectTypeOf<PolicyConfig<'repb'>>().toEqualTypeOf<{
      policy: 'repb';
      datasetSize: number;
      pruneRatio: number;
      totalEpochs: number;
      seed: number;
      interval?: number;
      warmupEpochs?: number;
      annealEpochs?: number;
      window?: number;
      maxWeight?: number;
    }>();
  });
});

describe('the escape hatch: CustomPrunerConfig, checked at run time only', () => {
  interface AlphaOptions {
    alpha: number;
  }
  const myPolicy: Policy<AlphaOptions> = {
    name: 'my-policy',
    summary: 'a registered policy',
    optionNames: ['alpha'],
    parseOptions: (raw) => ({ alpha: typeof raw.alpha === 'number' ? raw.alpha : 1 }),
    create: (ctx) => ({
      bytesPerSample: 0,
      choose: () => ({ indices: new Uint32Array(ctx.keep) }),
      observe: () => {},
      state: () => null,
      load: () => {},
    }),
  };

  it('accepts a registered policy through a config typed CustomPrunerConfig', () => {
    registerPolicy(myPolicy);
    const config: CustomPrunerConfig = { policy: 'my-policy', ...common, alpha: 2 };
    const pruner = createPruner(config);
    expectTypeOf(pruner).toEqualTypeOf<Pruner>();
    expectTypeOf(pruner.options).toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf(pruner.config.policy).toEqualTypeOf<string>();
    createPruner({ policy: 'my-policy', ...common, alpha: 2 } as CustomPrunerConfig);
  });

  it('accepts names and options only known at run time (what the dp CLI passes)', () => {
    const parsed: { policy: string; options: Record<string, number | string | boolean> } = {
      policy: 'ucb',
      options: { c: 2 },
    };
    expectTypeOf(createPruner({ ...parsed.options, policy: parsed.policy, ...common })).toEqualTypeOf<Pruner>();
  });

  it('still needs the common options, typed', () => {
    // @ts-expect-error -- seed is missing
    const noSeed: CustomPrunerConfig = { policy: 'my-policy', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2 };
    // @ts-expect-error -- datasetSize is a number
    createPruner({ policy: 'my-policy' as string, ...common, datasetSize: '10' });
    expectTypeOf(noSeed).toEqualTypeOf<CustomPrunerConfig>();
  });
});
