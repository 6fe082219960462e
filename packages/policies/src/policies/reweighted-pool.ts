import { samplerOf } from '../sampler.js';
import { decodeDistinctIds, decodeUint32, encodeTyped } from '../codec.js';
import { floorOf } from '../count.js';
import { checkInt, checkNumber, orDefault, PrunerError } from '../errors.js';
import { sampleSubset } from '../select.js';
import { keysAndHistogram, partitionTop } from '../top-k.js';
import type { Policy, PolicyContext } from '../types.js';
import { loadScores, stateObject } from './state.js';

export interface ReweightedPoolOptions {
  /**
   * Pool share: each pruned epoch ranks a uniform random pool of floor(poolRatio * N) samples. In (0, 1], holding
   * the largest per-epoch keep. Default 0.8 (OrderDP's official setting; raised to the keep when that is larger).
   */
  poolRatio: number;
  /** Upper clip of the loss weight (epochs so far) / (times selected), a number >= 1. Default 10 (as `repb`). */
  maxWeight: number;
  /**
   * Share of the run's sample budget k * E spent on full-data epochs at the end: the last
   * floor(tailBudget * k * E / N) epochs train all data. In [0, 1). Default 0.25 (at 50% pruning, InfoBatch's last
   * 12.5% of epochs).
   */
  tailBudget: number;
}

const DEFAULT_POOL_RATIO = 0.8;
const DEFAULT_MAX_WEIGHT = 10;
const DEFAULT_TAIL_BUDGET = 0.25;
const STATE_KEYS = ['loss', 'counts', 'last', 'subset'] as const;

type Ctx = Pick<PolicyContext, 'datasetSize' | 'keep' | 'totalEpochs'>;

/** T: the full-data epochs at the end of the run, floor(tailBudget * k * E / N) (< E since tailBudget < 1). */
export function reweightedPoolTail(ctx: Ctx, tailBudget: number): number {
  return Math.floor(floorOf(tailBudget, ctx.keep * ctx.totalEpochs) / ctx.datasetSize);
}

/**
 * Samples kept by the pruned epoch `epoch` (< E - T): the budget left by the tail, R = k * E - N * T samples, spread
 * over the M = E - T pruned epochs as differences of rounded cumulative counts (round(R (e + 1) / M) - round(R e / M)),
 * so the run trains exactly k * E samples (with no warm-up and `interval` 1). At least 1, at most N.
 */
export function reweightedPoolKeep(epoch: number, ctx: Ctx, tailBudget: number): number {
  const n = ctx.datasetSize;
  const t = reweightedPoolTail(ctx, tailBudget);
  const m = ctx.totalEpochs - t;
  const r = ctx.keep * ctx.totalEpochs - n * t;
  const e = Math.min(Math.max(epoch, 0), m - 1);
  const k = Math.round((r * (e + 1)) / m) - Math.round((r * e) / m);
  return Math.min(n, Math.max(1, k));
}

/** The largest keep of a pruned epoch: ceil(R / M) (see reweightedPoolKeep). */
function maxKeep(ctx: Ctx, tailBudget: number): number {
  const t = reweightedPoolTail(ctx, tailBudget);
  const m = ctx.totalEpochs - t;
  return Math.min(ctx.datasetSize, Math.max(1, Math.ceil((ctx.keep * ctx.totalEpochs - ctx.datasetSize * t) / m)));
}

/**
 * `reweighted-pool` (ours, the CIFAR-10 campaign's candidate; docs/reweighted-pool.md). Each pruned epoch e keeps
 * k_e samples (reweightedPoolKeep: the run's budget k * E minus the full-data tail, spread evenly) and the last
 * T = floor(tailBudget * k * E / N) epochs train all data with weight 1 (isFullDataEpoch), so the run trains exactly
 * k * E samples, the share 1 - pruneRatio. A pruned epoch:
 * 1. credits the epochs since the last selection (RePB's accounting): before the first selection every sample gets
 *    the warm-up epochs, after it the members of the last subset get the epochs it was used; so E = e epochs are
 *    credited in all, and N_i = sample i's credited epochs (N_i <= E);
 * 2. draws a uniform random pool of P = max(k_e, floor(poolRatio * N)) samples (OrderDP's pool);
 * 3. ranks the pool by priority = last loss * E / N_i and keeps its k_e highest (O(P) radix select, ties uniformly at
 *    random). A sample never trained (N_i = 0 or no loss observed) ranks above every trained one. A sample trained
 *    every epoch has priority = its loss; one left out grows in priority every epoch it sits out, so a sample whose
 *    loss is below the keep threshold θ comes back in about a share loss / θ of the epochs: selection frequency
 *    proportional to the loss, capped at 1 (loss-proportional importance sampling);
 * 4. weights each kept sample by min((E + 1) / (N_i + 1), maxWeight) (RePB's cumulative temporal reweighting, this
 *    epoch counted): the inverse of its realised selection frequency, so over the run every sample's weights sum to
 *    about E, the weight full-data training gives it.
 * Defaults poolRatio 0.8 (OrderDP), maxWeight 10 (as our `repb`), tailBudget 0.25 (ours, not tuned yet).
 * Memory: last loss 4 B + count 4 B + pool ids 4 B per pooled sample + key and sampling scratch 4 B per sample, plus
 * the last subset's ids (4 B per kept sample).
 */
export const reweightedPool: Policy<ReweightedPoolOptions> = {
  name: 'reweighted-pool',
  summary:
    'the k highest loss x epochs / times-selected of a random pool, weighted epochs / times selected (clipped); full data at the end, mean k (ours)',
  optionNames: ['poolRatio', 'maxWeight', 'tailBudget'],
  consumes: 'losses',
  defaults: { poolRatio: DEFAULT_POOL_RATIO, maxWeight: DEFAULT_MAX_WEIGHT, tailBudget: DEFAULT_TAIL_BUDGET },
  parseOptions(raw, ctx) {
    const maxWeight = checkNumber('maxWeight', orDefault(raw.maxWeight, DEFAULT_MAX_WEIGHT), 1, Infinity);
    const tailBudget = checkNumber('tailBudget', orDefault(raw.tailBudget, DEFAULT_TAIL_BUDGET), 0, 1, {
      maxOpen: true,
    });
    let poolRatio = DEFAULT_POOL_RATIO;
    if (raw.poolRatio !== undefined) {
      poolRatio = checkNumber('poolRatio', raw.poolRatio, 0, 1, { minOpen: true });
      const most = maxKeep(ctx, tailBudget);
      if (floorOf(poolRatio, ctx.datasetSize) < most) {
        throw new PrunerError(
          'poolRatio',
          poolRatio,
          `a number in (0, 1] whose pool floor(poolRatio * ${ctx.datasetSize}) holds the ${most} samples a pruned epoch keeps (poolRatio >= ${most / ctx.datasetSize} at tailBudget ${tailBudget})`,
        );
      }
    }
    return { poolRatio, maxWeight, tailBudget };
  },
  isFullDataEpoch: (epoch, ctx, { tailBudget }) => epoch >= ctx.totalEpochs - reweightedPoolTail(ctx, tailBudget),
  create(ctx, { poolRatio, maxWeight, tailBudget }) {
    const n = ctx.datasetSize;
    const p = Math.min(n, Math.max(maxKeep(ctx, tailBudget), floorOf(poolRatio, n)));
    let last: Float32Array = new Float32Array(n).fill(Number.NaN); // NaN = never observed
    let counts: Uint32Array = new Uint32Array(n);
    let lastEpoch = -1;
    let subset: Uint32Array = new Uint32Array(0);
    const pool = new Uint32Array(p);
    // The sampling scratch of the pool draw, then the pool's priorities rewritten in place into sortable keys.
    const keys = new Uint32Array(p < n ? n : p);
    const priority = new Float32Array(keys.buffer, 0, p);
    return {
      bytesPerSample: 8 + (4 * p + 4 * keys.length) / n,
      choose(epoch, rng) {
        // 1. Credit the epochs since the last selection (so E = epoch epochs are credited in all).
        const span = lastEpoch < 0 ? epoch : epoch - lastEpoch;
        if (lastEpoch < 0) {
          if (span > 0) for (let i = 0; i < n; i++) counts[i] = counts[i]! + span;
        } else {
          for (let j = 0; j < subset.length; j++) {
            const id = subset[j]!;
            counts[id] = counts[id]! + span;
          }
        }
        const k = reweightedPoolKeep(epoch, ctx, tailBudget);
        // 2. The pool: P distinct ids uniformly at random (all ids, in order, when P = N).
        if (p < n) sampleSubset(null, 0, n, p, rng, pool, 0, keys, samplerOf(ctx));
        else for (let i = 0; i < n; i++) pool[i] = i;
        // 3. Priorities (NaN = never trained: the top key), then the k largest by radix select.
        const e = epoch;
        for (let j = 0; j < p; j++) {
          const id = pool[j]!;
          const c = counts[id]!;
          priority[j] = c > 0 ? (last[id]! * e) / c : Number.NaN;
        }
        const indices = new Uint32Array(k);
        if (k >= p) indices.set(pool.subarray(0, k));
        else {
          const hist = keysAndHistogram(keys, p);
          partitionTop(keys, k, rng, indices, p, false, hist);
          for (let j = 0; j < k; j++) indices[j] = pool[indices[j]!]!;
        }
        // 4. Weights: (E + 1) / (N_i + 1), this epoch counted, clipped.
        const weights = new Float32Array(k);
        for (let j = 0; j < k; j++) weights[j] = Math.min((e + 1) / (counts[indices[j]!]! + 1), maxWeight);
        subset = indices;
        lastEpoch = epoch;
        return { indices, weights };
      },
      observe(ids, losses) {
        for (let j = 0; j < ids.length; j++) last[ids[j]!] = losses[j]!;
      },
      scores: () => last.slice(),
      state: () => ({
        loss: encodeTyped(last),
        counts: encodeTyped(counts),
        last: lastEpoch < 0 ? null : lastEpoch,
        subset: encodeTyped(subset),
      }),
      load(state) {
        // Validate everything first; assign only at the end.
        const s = stateObject('reweighted-pool', state, STATE_KEYS);
        const extra = Object.keys(s).find((key) => !(STATE_KEYS as readonly string[]).includes(key));
        if (extra !== undefined)
          throw new PrunerError(
            `state.policy.${extra}`,
            s[extra],
            `no such field (the 'reweighted-pool' state has ${STATE_KEYS.join(', ')})`,
          );
        const lastIn = s.last === null ? -1 : checkInt('state.policy.last', s.last, 0, ctx.totalEpochs - 1);
        const ep = Math.max(lastIn, 0); // the epochs credited: those before the last selection
        const loss = loadScores('state.policy.loss', s.loss!, n);
        const cnt = decodeUint32('state.policy.counts', s.counts, n);
        for (let i = 0; i < n; i++)
          if (cnt[i]! > ep)
            throw new PrunerError(
              `state.policy.counts[${i}]`,
              cnt[i],
              `an integer in [0, ${ep}] (at most the ${ep} epochs before the last selection, state.policy.last)`,
            );
        const size = lastIn < 0 ? 0 : reweightedPoolKeep(lastIn, ctx, tailBudget);
        const sub = decodeDistinctIds('state.policy.subset', s.subset, size, n);
        last = loss;
        counts = cnt;
        lastEpoch = lastIn;
        subset = sub;
      },
    };
  },
};
