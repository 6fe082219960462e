// The types of `createPruner`'s config: a discriminated union over the built-in policies (each with its own options),
// and the explicitly named escape hatch for registered policies and run-time names. Types only.
import type { EpsilonGreedyOptions } from './policies/epsilon-greedy.js';
import type { FullOptions } from './policies/full.js';
import type { ImportanceOptions } from './policies/importance.js';
import type { InfoBatchOptions } from './policies/infobatch.js';
import type { OrderDpOptions } from './policies/orderdp.js';
import type { RampOptions } from './policies/ramp.js';
import type { RandomOptions } from './policies/random.js';
import type { RepbOptions } from './policies/repb.js';
import type { ReweightedPoolOptions } from './policies/reweighted-pool.js';
import type { SetaOptions } from './policies/seta.js';
import type { StaticOptions } from './policies/static.js';
import type { UcbOptions } from './policies/ucb.js';
import type { Pruner, ResolvedConfig } from './pruner.js';

/** Options shared by every policy. */
export interface CommonPrunerConfig {
  /** N, the number of training samples (integer in [1, 2^32 - 1]). */
  datasetSize: number;
  /** Share pruned, in [0, 1): fixed-size policies keep k = N - floor(pruneRatio * N); infobatch: its r. */
  pruneRatio: number;
  /** Epochs in the whole run (>= 1). */
  totalEpochs: number;
  /** Seed of every random choice (a safe integer). */
  seed: number;
  /** Re-select every `interval` epochs (counted from the end of warm-up); in between, the same subset in a new order. Default 1. */
  interval?: number;
  /** Full data for the first `warmupEpochs` epochs. Default 0. */
  warmupEpochs?: number;
  /** Full data for the last `annealEpochs` epochs. Default 0. */
  annealEpochs?: number;
}

/** The validated options of each built-in policy (defaults filled in), by policy name: what `pruner.options` holds. */
export interface BuiltinPolicyOptions {
  full: FullOptions;
  random: RandomOptions;
  'epsilon-greedy': EpsilonGreedyOptions;
  ucb: UcbOptions;
  importance: ImportanceOptions;
  infobatch: InfoBatchOptions;
  static: StaticOptions;
  orderdp: OrderDpOptions;
  seta: SetaOptions;
  repb: RepbOptions;
  ramp: RampOptions;
  'reweighted-pool': ReweightedPoolOptions;
}

/** The name of a built-in policy. */
export type BuiltinPolicyName = keyof BuiltinPolicyOptions;

/** The score arrays `static` accepts (copied to float32 and checked finite). */
export type StaticScores =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | readonly number[];

/** What a config gives for the options of policy `P`: each optional (left out = its default); `static` needs `scores`. */
export type PolicyConfigOptions<P extends BuiltinPolicyName> = P extends 'static'
  ? Partial<Omit<StaticOptions, 'scores'>> & { scores: StaticScores }
  : Partial<BuiltinPolicyOptions[P]>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The config of built-in policy `P`: its name, the common options and its own options, nothing else. */
export type PolicyConfig<P extends BuiltinPolicyName> = Flatten<
  { policy: P } & CommonPrunerConfig & PolicyConfigOptions<P>
>;

/**
 * A config of a built-in policy, discriminated by `policy`: an unknown name, another policy's option or a wrongly
 * typed option does not compile. For a policy registered with `registerPolicy()`, or a name only known at run time,
 * see `CustomPrunerConfig`.
 */
export type PrunerConfig = { [P in BuiltinPolicyName]: PolicyConfig<P> }[BuiltinPolicyName];

/**
 * The escape hatch: a config whose policy name is any `string`, with any options, checked at run time only (an
 * unknown name or option throws a PrunerError as always). Use it for a policy registered with `registerPolicy()`, or
 * for names and options parsed from a command line or a file. `createPruner` takes it when `policy` is typed `string`,
 * so annotate the object with this type; a string literal that is not a built-in name (a typo) still fails to compile:
 *
 * ```ts
 * registerPolicy(myPolicy); // name 'my-policy'
 * const config: CustomPrunerConfig = { policy: 'my-policy', datasetSize: N, pruneRatio: 0.5, totalEpochs: E, seed: 1, alpha: 2 };
 * const pruner = createPruner(config);
 * ```
 */
export interface CustomPrunerConfig extends CommonPrunerConfig {
  /** A registered policy name (see policyNames()). */
  policy: string;
  [option: string]: unknown;
}

/** What `createPruner` returns for built-in policy `P`: a Pruner whose `options` and `config.policy` have `P`'s types. */
export type PrunerFor<P extends BuiltinPolicyName> = Pruner & {
  /** Policy-specific options after validation and defaults. */
  readonly options: Readonly<BuiltinPolicyOptions[P]>;
  readonly config: ResolvedConfig & { readonly policy: P };
};
