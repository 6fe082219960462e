import { PrunerError, checkInt, checkNumber } from './errors.js';
import { Rng } from './rng.js';
import { getPolicy } from './registry.js';
import { identity } from './select.js';
import type { Choice, Json, PolicyContext, PolicyInstance } from './types.js';

/** Options shared by every policy. Policy-specific options go in the same object. */
export interface PrunerConfig {
  /** Registered policy name: 'full', 'random', 'ucb', 'epsilon-greedy', 'infobatch', 'static', ... */
  policy: string;
  /** N, the number of training samples (positive integer). */
  datasetSize: number;
  /** Share pruned per epoch, in [0, 1). */
  pruneRatio: number;
  /** Epochs in the whole run (>= 1). */
  totalEpochs: number;
  /** Seed of every random choice (integer). */
  seed: number;
  /** Re-select every `interval` epochs; in between, the same subset in a new order. Default 1. */
  interval?: number;
  /** Full data for the first `warmupEpochs` epochs. Default 0. */
  warmupEpochs?: number;
  /** Full data for the last `annealEpochs` epochs. Default 0. */
  annealEpochs?: number;
  [option: string]: unknown;
}

export interface Selection {
  /** Distinct sample ids in [0, N), shuffled for this epoch. */
  indices: Uint32Array;
  /** Loss weight per entry of `indices`. */
  weights: Float32Array;
}

export interface ShardOptions {
  rank: number;
  worldSize: number;
}

export interface PrunerState {
  version: 1;
  fingerprint: string;
  observed: number;
  policy: Json;
  current: { epoch: number; indices: string; weights: string | null } | null;
}

const COMMON = ['policy', 'datasetSize', 'pruneRatio', 'totalEpochs', 'seed', 'interval', 'warmupEpochs', 'annealEpochs'];

/** A configured, validated pruner: the object users drive from their training loop. */
export class Pruner {
  readonly config: Readonly<Required<Pick<PrunerConfig, 'policy' | 'datasetSize' | 'pruneRatio' | 'totalEpochs' | 'seed' | 'interval' | 'warmupEpochs' | 'annealEpochs'>>>;
  readonly options: Readonly<Record<string, unknown>>;
  private readonly instance: PolicyInstance;
  private readonly fingerprint: string;
  private observed = 0;
  /** Subset chosen at the last re-selection: reused until the next one. */
  private current: { epoch: number; choice: Choice } | null = null;

  constructor(config: PrunerConfig, saved?: PrunerState) {
    if (config === null || typeof config !== 'object') throw new PrunerError('config', config, 'an object');
    const policy = getPolicy(config.policy);
    const datasetSize = checkInt('datasetSize', config.datasetSize, 1, 2 ** 32 - 1);
    const pruneRatio = checkNumber('pruneRatio', config.pruneRatio, 0, 1, { maxOpen: true });
    policy.checkPruneRatio?.(pruneRatio);
    const totalEpochs = checkInt('totalEpochs', config.totalEpochs, 1);
    const seed = checkInt('seed', config.seed, -(2 ** 53 - 1));
    const interval = checkInt('interval', config.interval ?? 1, 1);
    const warmupEpochs = checkInt('warmupEpochs', config.warmupEpochs ?? 0, 0, totalEpochs);
    const annealEpochs = checkInt('annealEpochs', config.annealEpochs ?? 0, 0, totalEpochs);
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if (COMMON.includes(key) || value === undefined) continue;
      if (!policy.optionNames.includes(key)) {
        const known = [...COMMON, ...policy.optionNames].join(', ');
        throw new PrunerError(key, value, `no such option for policy '${policy.name}' (options: ${known})`);
      }
      raw[key] = value;
    }
    this.options = Object.freeze(policy.parseOptions(raw) as Record<string, unknown>);
    this.config = Object.freeze({ policy: policy.name, datasetSize, pruneRatio, totalEpochs, seed, interval, warmupEpochs, annealEpochs });
    const ctx: PolicyContext = { datasetSize, pruneRatio, totalEpochs, seed, keep: datasetSize - Math.floor(pruneRatio * datasetSize) };
    this.instance = policy.create(ctx, this.options);
    this.fingerprint = JSON.stringify({ ...this.config, options: this.options });
    if (saved !== undefined) this.restore(saved);
  }

  /** Bytes of per-sample state the policy keeps. */
  get bytesPerSample(): number {
    return this.instance.bytesPerSample;
  }

  /** Whether `epoch` trains on all data (warm-up or anneal epochs). */
  isFullDataEpoch(epoch: number): boolean {
    const { warmupEpochs, annealEpochs, totalEpochs } = this.config;
    return epoch < warmupEpochs || epoch >= totalEpochs - annealEpochs;
  }

  /**
   * The samples (and loss weights) to train on in `epoch` (0-based), shuffled by (seed, epoch).
   * With `{ rank, worldSize }`, one data-parallel worker's shard (see README: padding rule).
   */
  select(epoch: number, shard?: ShardOptions): Selection {
    const { totalEpochs, warmupEpochs, interval, seed, datasetSize } = this.config;
    checkInt('epoch', epoch, 0, totalEpochs - 1);
    if (shard !== undefined) {
      checkInt('worldSize', shard.worldSize, 1);
      checkInt('rank', shard.rank, 0, shard.worldSize - 1);
    }
    let choice: Choice;
    if (this.isFullDataEpoch(epoch)) {
      choice = { indices: identity(datasetSize) };
    } else {
      // The re-selection epoch this epoch belongs to: warm-up end, then every `interval` epochs.
      const since = epoch - warmupEpochs;
      const selectionEpoch = epoch - (since % interval);
      if (this.current?.epoch !== selectionEpoch) {
        this.current = { epoch: selectionEpoch, choice: this.instance.choose(selectionEpoch, epochRng(seed, selectionEpoch, 0)) };
      }
      choice = this.current!.choice;
    }
    const n = choice.indices.length;
    const order = epochRng(seed, epoch, 1).shuffle(identity(n));
    const indices = new Uint32Array(n);
    const weights = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      indices[i] = choice.indices[j]!;
      weights[i] = choice.weights ? choice.weights[j]! : 1;
    }
    return shard ? shardOf(indices, weights, shard) : { indices, weights };
  }

  /** Record per-sample training losses of one batch (ids in [0, N), finite losses). */
  observe(sampleIds: ArrayLike<number>, losses: ArrayLike<number>): void {
    if (sampleIds == null || typeof sampleIds.length !== 'number') throw new PrunerError('sampleIds', sampleIds, 'an array of sample ids');
    if (losses == null || typeof losses.length !== 'number') throw new PrunerError('losses', losses, 'an array of losses');
    if (sampleIds.length !== losses.length) {
      throw new PrunerError('losses.length', losses.length, `the same length as sampleIds (${sampleIds.length})`);
    }
    const n = this.config.datasetSize;
    for (let i = 0; i < sampleIds.length; i++) {
      const id = sampleIds[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= n) throw new PrunerError(`sampleIds[${i}]`, id, `an integer in [0, ${n - 1}]`);
      const l = losses[i]!;
      if (!Number.isFinite(l)) throw new PrunerError(`losses[${i}]`, l, 'a finite number');
    }
    this.instance.observe(sampleIds, losses);
    this.observed += sampleIds.length;
  }

  /** JSON-serialisable state: restore with `createPruner(sameConfig, state)`. */
  state(): PrunerState {
    return {
      version: 1,
      fingerprint: this.fingerprint,
      observed: this.observed,
      policy: this.instance.state(),
      current: this.current
        ? {
            epoch: this.current.epoch,
            indices: encodeTyped(this.current.choice.indices),
            weights: this.current.choice.weights ? encodeTyped(this.current.choice.weights) : null,
          }
        : null,
    };
  }

  private restore(saved: PrunerState): void {
    if (saved === null || typeof saved !== 'object' || saved.version !== 1) {
      throw new PrunerError('state.version', (saved as { version?: unknown } | null)?.version, '1 (a state written by Pruner.state())');
    }
    if (saved.fingerprint !== this.fingerprint) {
      throw new PrunerError('state', saved.fingerprint, `a state saved with the same config (${this.fingerprint})`);
    }
    this.instance.load(saved.policy);
    this.observed = saved.observed;
    this.current = saved.current
      ? {
          epoch: saved.current.epoch,
          choice: {
            indices: new Uint32Array(decodeBytes(saved.current.indices)),
            ...(saved.current.weights ? { weights: new Float32Array(decodeBytes(saved.current.weights)) } : {}),
          },
        }
      : null;
  }
}

/** Create a pruner; pass a saved `state()` to continue a run with exactly the same future selections. */
export function createPruner(config: PrunerConfig, saved?: PrunerState): Pruner {
  return new Pruner(config, saved);
}

/** An RNG determined by (seed, epoch, stream) alone, so select() is reproducible across processes. */
function epochRng(seed: number, epoch: number, stream: number): Rng {
  const mixed = Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.floor(seed / 2 ** 32);
  return new Rng(mixed >>> 0);
}

/**
 * DistributedSampler-style sharding: the shuffled list is padded by repeating its first entries until its length
 * is a multiple of worldSize, then rank r takes entries r, r + W, r + 2W, ...
 */
function shardOf(indices: Uint32Array, weights: Float32Array, { rank, worldSize }: ShardOptions): Selection {
  const per = Math.ceil(indices.length / worldSize);
  const outI = new Uint32Array(per);
  const outW = new Float32Array(per);
  for (let i = 0; i < per; i++) {
    const j = (rank + i * worldSize) % indices.length;
    outI[i] = indices[j]!;
    outW[i] = weights[j]!;
  }
  return { indices: outI, weights: outW };
}

function encodeTyped(a: Uint32Array | Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function decodeBytes(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}
