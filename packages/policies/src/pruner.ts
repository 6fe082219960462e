import { decodeDistinctIds, decodeFloat32, encodeTyped } from './codec.js';
import { COMMON_OPTION_DEFAULTS } from './common-options.js';
import { keepCount } from './count.js';
import { checkInt, checkNumber, orDefault, PrunerError } from './errors.js';
import { getPolicy } from './registry.js';
import { streamRng } from './rng.js';
import { LATEST_SAMPLER, savedSampler, type SamplerVersion } from './sampler.js';
import { scatterShuffle } from './scatter-shuffle.js';
import { shuffledCopy } from './shuffle.js';
import { shardOf } from './shard.js';
import type { Choice, Json, Policy, PolicyContext, PolicyInstance, Selection, ShardOptions } from './types.js';
import { checkBatch } from './validate.js';
import {
  checkKnownKeys,
  checkObservedCount,
  checkStateFields,
  CURRENT_KEYS,
  SHARD_KEYS,
  STATE_KEYS,
} from './state-check.js';
import type { CustomPrunerConfig, PrunerConfig } from './config.js';

export type { Selection, ShardOptions } from './types.js';

// The config types (a union over the built-in policies, and CustomPrunerConfig for registered ones) are in config.ts;
// the typed createPruner is in create.ts.
export type { PrunerConfig } from './config.js';

/** The validated common config, as `Pruner.config`. */
export type ResolvedConfig = Readonly<Required<Pick<CustomPrunerConfig, (typeof COMMON)[number]>>>;

/** What `Pruner.state()` returns: plain JSON (typed arrays as base64). */
export interface PrunerState {
  version: 1;
  /** The config (and a hash of array options) the state belongs to; restoring under another config throws. */
  fingerprint: string;
  /** Losses observed so far. */
  observed: number;
  policy: Json;
  /**
   * The selection-algorithm version (see sampler.ts): 3 in every state written now (2 in states written by the
   * release before); absent in states written before versions existed, which resume with version 1, bit for bit.
   */
  sampler?: SamplerVersion;
  /** The subset chosen at the last re-selection, reused until the next one. */
  current: { epoch: number; count: number; indices: string; weights: string | null } | null;
}

const COMMON = [
  'policy',
  'datasetSize',
  'pruneRatio',
  'totalEpochs',
  'seed',
  'interval',
  'warmupEpochs',
  'annealEpochs',
] as const;

/**
 * A configured, validated pruner: the object users drive from their training loop. Per epoch: `select(epoch)`
 * once at its start, then `observe(ids, losses)` for every trained batch. Every method validates its arguments
 * completely before changing anything, and throws only PrunerError.
 */
export class Pruner {
  readonly config: ResolvedConfig;
  /** Policy-specific options after validation and defaults. */
  readonly options: Readonly<Record<string, unknown>>;
  private readonly policy: Policy<any>;
  private readonly ctx: PolicyContext;
  private readonly instance: PolicyInstance;
  private readonly fingerprint: string;
  /** The selection-algorithm version: the latest for a new pruner, the saved state's for a restored one. */
  readonly sampler: SamplerVersion;
  private observed = 0;
  private current: { epoch: number; choice: Choice } | null = null;

  constructor(config: PrunerConfig, saved?: PrunerState) {
    if (config === null || typeof config !== 'object')
      throw new PrunerError(
        'config',
        config,
        'an object',
        'pass a config object { policy, datasetSize, pruneRatio, totalEpochs, seed, ... }',
      );
    const policy = getPolicy(config.policy);
    const datasetSize = checkInt('datasetSize', config.datasetSize, 1, 2 ** 32 - 1);
    const pruneRatio = checkNumber('pruneRatio', config.pruneRatio, 0, 1, { maxOpen: true });
    policy.checkPruneRatio?.(pruneRatio);
    const totalEpochs = checkInt('totalEpochs', config.totalEpochs, 1);
    const seed = checkInt('seed', config.seed, -Number.MAX_SAFE_INTEGER);
    const interval = checkInt('interval', orDefault(config.interval, COMMON_OPTION_DEFAULTS.interval), 1);
    const warmupEpochs = checkInt(
      'warmupEpochs',
      orDefault(config.warmupEpochs, COMMON_OPTION_DEFAULTS.warmupEpochs),
      0,
      totalEpochs,
    );
    const annealEpochs = checkInt(
      'annealEpochs',
      orDefault(config.annealEpochs, COMMON_OPTION_DEFAULTS.annealEpochs),
      0,
      totalEpochs,
    );
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if ((COMMON as readonly string[]).includes(key) || value === undefined) continue;
      if (!policy.optionNames.includes(key)) {
        const known = [...COMMON, ...policy.optionNames].join(', ');
        throw new PrunerError(
          key,
          value,
          `no such option for policy '${policy.name}' (options: ${known})`,
          `drop ${key}, or use one of the options above`,
        );
      }
      raw[key] = value;
    }
    // The version comes before the policy is built (its choose() depends on it); a bad one changes nothing.
    const sampler = saved === undefined ? LATEST_SAMPLER : savedSampler(saved);
    const ctx: PolicyContext = {
      datasetSize,
      pruneRatio,
      totalEpochs,
      seed,
      keep: keepCount(pruneRatio, datasetSize),
      sampler,
    };
    const options = policy.parseOptions(raw, ctx) as Record<string, unknown>;
    this.policy = policy;
    this.ctx = ctx;
    this.sampler = sampler;
    this.options = Object.freeze(options);
    this.config = Object.freeze({
      policy: policy.name,
      datasetSize,
      pruneRatio,
      totalEpochs,
      seed,
      interval,
      warmupEpochs,
      annealEpochs,
    });
    this.fingerprint = JSON.stringify({
      ...this.config,
      options: policy.describeOptions ? policy.describeOptions(options) : (options as Json),
    });
    this.instance = policy.create(ctx, options);
    if (saved !== undefined) this.restore(saved);
  }

  /** Bytes of per-sample arrays the policy keeps (statistics + scratch) per training sample; see the README's memory table. */
  get bytesPerSample(): number {
    return this.instance.bytesPerSample;
  }

  /** Number of per-sample losses observed so far (all workers' when all-gathered). */
  get observedCount(): number {
    return this.observed;
  }

  /** A copy of the per-sample score the policy ranks by (NaN = never observed), or null for policies without one. */
  scores(): Float32Array | null {
    return this.instance.scores ? this.instance.scores() : null;
  }

  /** Whether `epoch` trains on all data with weight 1 (warm-up, anneal, or a policy's own full-data epochs). */
  isFullDataEpoch(epoch: number): boolean {
    const { warmupEpochs, annealEpochs, totalEpochs } = this.config;
    checkInt('epoch', epoch, 0, totalEpochs - 1);
    if (epoch < warmupEpochs || epoch >= totalEpochs - annealEpochs) return true;
    return this.policy.isFullDataEpoch ? this.policy.isFullDataEpoch(epoch, this.ctx, this.options) : false;
  }

  /**
   * The samples (and loss weights) to train on in `epoch` (0-based, < totalEpochs), shuffled by (seed, epoch).
   * Call it at the start of the epoch, after observing the losses of all earlier epochs. With
   * `{ rank, worldSize, dropLast? }`, one data-parallel worker's shard (see README: Sharding); every worker
   * gets the same epoch list given the same config, seed and observations.
   */
  select(epoch: number, shard?: ShardOptions): Selection {
    const { totalEpochs, warmupEpochs, interval, seed, datasetSize } = this.config;
    checkInt('epoch', epoch, 0, totalEpochs - 1);
    if (shard !== undefined) {
      if (shard === null || typeof shard !== 'object')
        throw new PrunerError('shard', shard, 'an object { rank, worldSize, dropLast? }');
      checkKnownKeys('shard', shard, SHARD_KEYS); // a misspelt option (droplast) would be ignored
      checkInt('worldSize', shard.worldSize, 1, 2 ** 32 - 1);
      checkInt('rank', shard.rank, 0, shard.worldSize - 1);
      if (shard.dropLast !== undefined && typeof shard.dropLast !== 'boolean')
        throw new PrunerError('dropLast', shard.dropLast, 'true or false');
    }
    const rng = streamRng(seed, epoch, 1);
    // The epoch-order shuffle of this pruner's selection-algorithm version (sampler.ts).
    const shuffle = this.sampler >= 3 ? scatterShuffle : shuffledCopy;
    let shuffled: { indices: Uint32Array; weights: Float32Array | null };
    if (this.isFullDataEpoch(epoch)) {
      shuffled = shuffle(datasetSize, null, null, rng);
    } else {
      // The re-selection epoch this epoch belongs to: the end of warm-up, then every `interval` epochs.
      const selectionEpoch = epoch - ((epoch - warmupEpochs) % interval);
      if (this.current?.epoch !== selectionEpoch) {
        this.current = {
          epoch: selectionEpoch,
          choice: this.instance.choose(selectionEpoch, streamRng(seed, selectionEpoch, 0)),
        };
      }
      const { choice } = this.current;
      shuffled = shuffle(choice.indices.length, choice.indices, choice.weights ?? null, rng);
      if (choice.flaggedWeight !== undefined) shuffled = unflag(shuffled.indices, choice.flaggedWeight);
    }
    const { indices } = shuffled;
    const weights = shuffled.weights ?? new Float32Array(indices.length).fill(1);
    return shard && shard.worldSize > 1 ? shardOf(indices, weights, shard) : { indices, weights, kept: indices.length };
  }

  /**
   * Record the per-sample training losses of one batch: integer ids in [0, N) and finite losses, equally many.
   * In data-parallel training every worker must observe the losses of ALL workers (all-gather ids and losses),
   * in the same order, so that their states — and so their next selections — stay identical.
   */
  observe(sampleIds: ArrayLike<number>, losses: ArrayLike<number>): void {
    checkBatch(sampleIds, losses, this.config.datasetSize);
    this.instance.observe(sampleIds, losses);
    this.observed += sampleIds.length;
  }

  /** JSON-serialisable state: `createPruner(sameConfig, state)` continues with exactly the same future selections. */
  state(): PrunerState {
    let cur = this.current;
    if (cur?.choice.flaggedWeight !== undefined)
      cur = { epoch: cur.epoch, choice: unflag(cur.choice.indices.slice(), cur.choice.flaggedWeight) as Choice };
    return {
      version: 1,
      fingerprint: this.fingerprint,
      observed: this.observed,
      policy: this.instance.state(),
      // Version 1 writes no field, so a resumed old run's checkpoints stay what they were.
      ...(this.sampler === 1 ? {} : { sampler: this.sampler }),
      current: cur
        ? {
            epoch: cur.epoch,
            count: cur.choice.indices.length,
            indices: encodeTyped(cur.choice.indices),
            weights: cur.choice.weights ? encodeTyped(cur.choice.weights) : null,
          }
        : null,
    };
  }

  private restore(saved: PrunerState): void {
    if (saved === null || typeof saved !== 'object' || saved.version !== 1) {
      throw new PrunerError(
        'state.version',
        (saved as { version?: unknown } | null)?.version,
        '1 (a state written by Pruner.state())',
      );
    }
    checkKnownKeys('state', saved, STATE_KEYS);
    if (saved.fingerprint !== this.fingerprint) {
      throw new PrunerError(
        'state.fingerprint',
        saved.fingerprint,
        `a state saved with the same config (${this.fingerprint})`,
        'restore the state into a pruner created with the config it was saved with, or start without a state',
      );
    }
    const observed = checkInt('state.observed', saved.observed, 0);
    const n = this.config.datasetSize;
    let current: Pruner['current'] = null;
    if (saved.current !== null) {
      const c = saved.current;
      if (typeof c !== 'object')
        throw new PrunerError('state.current', c, 'null or { epoch, count, indices, weights }');
      checkKnownKeys('state.current', c, CURRENT_KEYS);
      const epoch = checkInt('state.current.epoch', c.epoch, 0, this.config.totalEpochs - 1);
      // The selection is kept from a re-selection epoch: the end of warm-up, then every `interval` epochs.
      const { warmupEpochs, interval } = this.config;
      if (epoch < warmupEpochs || (epoch - warmupEpochs) % interval !== 0) {
        throw new PrunerError(
          'state.current.epoch',
          epoch,
          `a re-selection epoch (${warmupEpochs}, then every ${interval})`,
        );
      }
      const count = checkInt('state.current.count', c.count, 1, n);
      const indices = decodeDistinctIds('state.current.indices', c.indices, count, n);
      let weights: Float32Array | undefined;
      if (c.weights !== null) {
        weights = decodeFloat32('state.current.weights', c.weights, count);
        for (let i = 0; i < count; i++) {
          const w = weights[i]!;
          if (!(w > 0 && w < Infinity)) throw new PrunerError(`state.current.weights[${i}]`, w, 'a finite number > 0');
        }
      }
      current = { epoch, choice: weights ? { indices, weights } : { indices } };
    }
    // The policy's own fields only, then its load(), then its statistics against the losses the state says it saw.
    checkStateFields('state.policy', saved.policy, this.instance.state());
    const fresh = this.instance.scores ? this.instance.scores() : null;
    this.instance.load(saved.policy);
    checkObservedCount(fresh, this.instance.scores ? this.instance.scores() : null, observed);
    this.observed = observed;
    this.current = current;
  }
}

/** Decode a flagged id list (see Choice.flaggedWeight) in place into ids and weights. */
function unflag(indices: Uint32Array, flaggedWeight: number): { indices: Uint32Array; weights: Float32Array } {
  const weights = new Float32Array(indices.length);
  const extra = flaggedWeight - 1;
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    weights[i] = 1 + (v >>> 31) * extra;
    indices[i] = v & 0x7fffffff;
  }
  return { indices, weights };
}

/** Create a pruner; pass a saved `state()` to continue a run with exactly the same future selections. */
export function createPruner(config: PrunerConfig, saved?: PrunerState): Pruner {
  return new Pruner(config, saved);
}
