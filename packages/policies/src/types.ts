import type { Rng } from './rng.js';
import type { SamplerVersion } from './sampler.js';

/** JSON-serialisable value (what `state()` returns). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What `Pruner.select` returns: one epoch's list (or one worker's shard of it). */
export interface Selection {
  /** Sample ids in [0, N), shuffled for this epoch. Distinct unless a padded shard repeats some (see shardOf). */
  indices: Uint32Array;
  /** Loss weight per entry of `indices` (finite, > 0): scale each sample's loss by it. */
  weights: Float32Array;
  /**
   * Samples kept this epoch over all workers, before any shard padding or dropping: k for fixed-size policies,
   * N in full-data epochs, and a varying count for `infobatch`.
   */
  kept: number;
}

/** Which data-parallel worker's shard to return. */
export interface ShardOptions {
  /** This worker, in [0, worldSize). */
  rank: number;
  /** Number of workers (>= 1). */
  worldSize: number;
  /**
   * false (default): pad every shard to ceil(kept / worldSize) by repeating the epoch's first entries.
   * true: cut every shard to floor(kept / worldSize), leaving the last entries out; shards strictly disjoint.
   */
  dropLast?: boolean;
}

/** What every policy knows about the run it selects for. */
export interface PolicyContext {
  /** N: number of samples in the training set. */
  readonly datasetSize: number;
  /** The `pruneRatio` of the config (see each policy's card for its exact meaning). */
  readonly pruneRatio: number;
  /** Number of epochs of the whole run. */
  readonly totalEpochs: number;
  /** k = N - floor(pruneRatio * N): samples kept by fixed-size policies (>= 1). */
  readonly keep: number;
  /** The run's seed. */
  readonly seed: number;
  /**
   * The selection-algorithm version to choose with (see sampler.ts; absent means the latest). A policy whose choices
   * are random must keep making version 1's choices bit for bit under `sampler: 1` (runs resuming old checkpoints).
   */
  readonly sampler?: SamplerVersion;
}

/** A subset chosen by a policy: distinct ids in [0, N), in any deterministic order. */
export interface Choice {
  /** The pruner only reads it (it may be cached across epochs); a policy must not modify it afterwards. */
  indices: Uint32Array;
  /** Loss weight per chosen sample, aligned with `indices`; omitted means all 1. */
  weights?: Float32Array;
  /**
   * Compact alternative to `weights` for two-valued weights (datasetSize <= 2^31 only): an entry of `indices`
   * with bit 31 set is sample (entry & 0x7fffffff) with this loss weight; other entries have weight 1.
   */
  flaggedWeight?: number;
}

/** One running policy: its statistics and its selection rule. */
export interface PolicyInstance {
  /** Choose the subset used from `epoch` on (until the next re-selection). `rng` is seeded by (seed, epoch). */
  choose(epoch: number, rng: Rng): Choice;
  /** Record per-sample training losses. Inputs are already validated by the pruner (ids in range, finite losses). */
  observe(ids: ArrayLike<number>, losses: ArrayLike<number>): void;
  /** JSON-serialisable statistics. */
  state(): Json;
  /** Restore statistics written by `state()`; must validate fully before changing anything. */
  load(state: Json): void;
  /** A copy of the per-sample score the policy ranks by (NaN = never observed), if it has one. */
  scores?(): Float32Array;
  /** Bytes of per-sample arrays this policy keeps (statistics + scratch), divided by N. */
  readonly bytesPerSample: number;
}

/**
 * What a policy's selection reads: per-sample training `losses` (observe), a `score-file` of static scores given up
 * front (its `scores` option, from `dp score`), or `nothing` (uniform choices).
 */
export type PolicyInput = 'losses' | 'score-file' | 'nothing';

/** A selection policy: one per file, registered by name. */
export interface Policy<Options = Record<string, unknown>> {
  /** The `policy` value that selects it. */
  readonly name: string;
  /** One-line summary for `--help` listings. */
  readonly summary: string;
  /** Names of the policy-specific options it accepts. */
  readonly optionNames: readonly string[];
  /**
   * Metadata an application reads instead of the name (default: none of these):
   * `baseline: true` trains every sample every epoch and is the reference speed-ups and accuracy changes are
   * measured against (pruneRatio is 0 for it); `reference: true` is the uniform-random reference a pruning method is
   * also compared with at its ratio; `recommended` (set on exactly one built-in) marks the policy users get by
   * default (`dp train --policy auto`, `dp compare`), as one line saying why (the evidence is in its method card).
   */
  readonly baseline?: boolean;
  readonly reference?: boolean;
  readonly recommended?: string;
  /** What its selection reads (default 'losses'). */
  readonly consumes?: PolicyInput;
  /**
   * The defaults of its options that have fixed defaults, as data (what parseOptions fills in when an option is left
   * out; options whose default depends on the run, such as a bound from the prune ratio, are given for ratio 0.5).
   * So `epsilon=0.1` and no option at all can be told to be one method without building a policy.
   */
  readonly defaults?: Readonly<Record<string, Json>>;
  /** Validate policy-specific options and fill defaults; throws PrunerError naming the field. */
  parseOptions(raw: Record<string, unknown>, ctx: PolicyContext): Options;
  /** JSON form of the options for the state fingerprint (default: the options). Must not embed large arrays. */
  describeOptions?(options: Options): Json;
  /** Validate pruneRatio for this policy (default: [0, 1)). */
  checkPruneRatio?(pruneRatio: number): void;
  /** Epochs this policy trains on all data in addition to the common warm-up and anneal epochs. */
  isFullDataEpoch?(epoch: number, ctx: PolicyContext, options: Options): boolean;
  create(ctx: PolicyContext, options: Options): PolicyInstance;
}
