import type { Rng } from './rng.js';

/** JSON-serialisable value (what `state()` returns). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What every policy knows about the run it selects for. */
export interface PolicyContext {
  /** N: number of samples in the training set. */
  readonly datasetSize: number;
  /** Share of samples pruned per epoch (see each policy's card for its exact meaning). */
  readonly pruneRatio: number;
  /** Number of epochs of the whole run. */
  readonly totalEpochs: number;
  /** k = N - floor(pruneRatio * N): samples kept by fixed-size policies. */
  readonly keep: number;
  /** The run's seed. */
  readonly seed: number;
}

/** A subset chosen by a policy: distinct ids in [0, N), in any order. */
export interface Choice {
  indices: Uint32Array;
  /** Loss weight per chosen sample, aligned with `indices`; omitted means all 1. */
  weights?: Float32Array;
}

/** One running policy: its statistics and its selection rule. */
export interface PolicyInstance {
  /** Choose the subset used from `epoch` on (until the next re-selection). `rng` is seeded by (seed, epoch). */
  choose(epoch: number, rng: Rng): Choice;
  /** Record per-sample training losses. Inputs are already validated by the pruner. */
  observe(ids: ArrayLike<number>, losses: ArrayLike<number>): void;
  /** JSON-serialisable statistics. */
  state(): Json;
  /** Restore statistics written by `state()` (validated against the config by the pruner). */
  load(state: Json): void;
  /** Bytes of per-sample state this policy keeps (for the memory table in the README). */
  readonly bytesPerSample: number;
}

/** A selection policy: one per file, registered by name. */
export interface Policy<Options = Record<string, unknown>> {
  /** The `policy` value that selects it. */
  readonly name: string;
  /** One-line summary for `--help` listings. */
  readonly summary: string;
  /** Names of the policy-specific options it accepts. */
  readonly optionNames: readonly string[];
  /** Validate policy-specific options and fill defaults; throws PrunerError naming the field. */
  parseOptions(raw: Record<string, unknown>): Options;
  /** Validate pruneRatio for this policy (default: [0, 1)). */
  checkPruneRatio?(pruneRatio: number): void;
  create(ctx: PolicyContext, options: Options): PolicyInstance;
}
