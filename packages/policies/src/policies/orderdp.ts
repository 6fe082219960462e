import { samplerOf } from '../sampler.js';
import { encodeTyped } from '../codec.js';
import { floorOf } from '../count.js';
import { checkNumber, orDefault, PrunerError } from '../errors.js';
import { sampleSubset } from '../select.js';
import { floatBitsToKey, partitionTop } from '../top-k.js';
import type { Policy } from '../types.js';
import { MAX_LOSS } from '../validate.js';
import { loadScores, stateObject } from './state.js';

export interface OrderDpOptions {
  /**
   * Pool share s/N: each re-selection draws a uniform random pool of P = floor(poolRatio * N) samples and keeps
   * its k highest-scored. In (0, 1] with P >= k = N - floor(pruneRatio * N). Default 0.8 (raised to k/N, a pure
   * random pool of k, when pruneRatio < 0.2).
   */
  poolRatio: number;
  /** Score of a never-trained sample, a finite number. Default 3 (the official CIFAR code's initial score). */
  initialScore: number;
}

/** Default pool share: the official README's OrderDP command (--random_len_ratio 0.8 --top_q_ratio 0.375). */
const DEFAULT_POOL_RATIO = 0.8;
/** Initial score of every sample in the official CIFAR code (cifar/orderDP/orderDP.py, line 82: ones * 3). */
const DEFAULT_INITIAL_SCORE = 3;

/** P: the pool size for these options (>= k, <= N). Explicit pool shares were validated by parseOptions. */
function poolSize(poolRatio: number, n: number, keep: number): number {
  return Math.min(n, Math.max(keep, floorOf(poolRatio, n)));
}

/**
 * `orderdp` (Jin, Xu, Wang, Jia, Chen & Zeng, "OrderDP: A Theoretically Guaranteed Lossless Dynamic Data Pruning
 * Framework", ICLR 2026; official code github.com/shengze-xu/OrderDP, cifar/orderDP/orderDP.py). Score of a sample =
 * its last observed training loss; a never-trained sample scores `initialScore` (3, as the official code). At each
 * re-selection: draw a uniform random pool of P = floor(poolRatio * N) distinct samples (select.ts sampleSubset),
 * then keep the k = N - floor(pruneRatio * N) highest scores within the pool (O(P) radix select, ties broken
 * uniformly at random by the seed). So pruneRatio is the share really pruned, and the official code's two ratios
 * are derived from it: random_len_ratio = poolRatio (default 0.8), top_q_ratio = k / P (about (1 - pruneRatio) / 0.8:
 * 0.375 at 70% pruning, the official README's setting; 0.625 at 50%). When k > floor(0.8 N) (pruneRatio < 0.2) the
 * default pool is raised to k, i.e. a uniform random subset. Only observed (trained) samples' scores change. Weight
 * 1 (the official code computes no weights). Memory: last loss 4 B per sample + pool ids 4 B per pooled sample +
 * a key and sampling scratch of 4 B per sample (11.2 B per sample at the default pool share).
 */
export const orderdp: Policy<OrderDpOptions> = {
  name: 'orderdp',
  summary: 'the k highest last losses of a uniform random pool of floor(poolRatio * N) samples (Jin et al.)',
  optionNames: ['poolRatio', 'initialScore'],
  consumes: 'losses',
  defaults: { poolRatio: 0.8, initialScore: 3 },
  parseOptions(raw, ctx) {
    const n = ctx.datasetSize;
    let poolRatio = DEFAULT_POOL_RATIO;
    if (raw.poolRatio !== undefined) {
      poolRatio = checkNumber('poolRatio', raw.poolRatio, 0, 1, { minOpen: true });
      if (floorOf(poolRatio, n) < ctx.keep) {
        throw new PrunerError(
          'poolRatio',
          poolRatio,
          `a number in (0, 1] whose pool floor(poolRatio * ${n}) holds the k = ${ctx.keep} kept samples (poolRatio >= ${ctx.keep / n})`,
        );
      }
    }
    const initialScore = checkNumber(
      'initialScore',
      orDefault(raw.initialScore, DEFAULT_INITIAL_SCORE),
      -MAX_LOSS,
      MAX_LOSS,
    );
    return { poolRatio, initialScore };
  },
  create(ctx, { poolRatio, initialScore }) {
    const n = ctx.datasetSize;
    const k = ctx.keep;
    const p = poolSize(poolRatio, n, k);
    let last: Float32Array = new Float32Array(n).fill(Number.NaN); // NaN = never trained (scores initialScore)
    let lastBits: Uint32Array = new Uint32Array(last.buffer);
    const initBits = new Uint32Array(Float32Array.of(initialScore).buffer)[0]! | 0;
    const pool = new Uint32Array(p);
    // The pool's keys; N entries when the pool is drawn, so that the same array is the sampling scratch first.
    const keys = new Uint32Array(p < n ? n : p);
    return {
      bytesPerSample: 4 + (4 * p + 4 * keys.length) / n, // last loss, pool ids, key (and sampling) scratch
      choose(_epoch, rng) {
        // 1. The pool: P distinct ids uniformly at random (all ids, in order, when P = N).
        if (p < n) sampleSubset(null, 0, n, p, rng, pool, 0, keys, samplerOf(ctx));
        else for (let i = 0; i < n; i++) pool[i] = i;
        // 2. P = k: the pool is the subset (the official code's top_q == random_len case).
        if (k >= p) return { indices: pool.slice(0, k) };
        // 3. Keys of the pool's scores (a never-trained sample's NaN replaced by initialScore's bits, branch-free),
        //    fused with the first radix histogram; then the k largest by radix select.
        const hist = new Uint32Array(2048);
        for (let j = 0; j < p; j++) {
          const b = lastBits[pool[j]!]! | 0;
          const nan = -+((b & 0x7fffffff) > 0x7f800000); // -1 for NaN, else 0
          const key = floatBitsToKey(b ^ ((b ^ initBits) & nan)) >>> 0;
          keys[j] = key;
          hist[key >>> 21]!++;
        }
        const indices = new Uint32Array(k);
        partitionTop(keys, k, rng, indices, p, false, hist);
        for (let i = 0; i < k; i++) indices[i] = pool[indices[i]!]!;
        return { indices };
      },
      observe(ids, losses) {
        for (let i = 0; i < ids.length; i++) last[ids[i]!] = losses[i]!;
      },
      scores: () => last.slice(),
      state: () => ({ loss: encodeTyped(last) }),
      load(state) {
        const s = stateObject('orderdp', state, ['loss']);
        for (const key of Object.keys(s)) {
          if (key !== 'loss')
            throw new PrunerError(
              `state.policy.${key}`,
              s[key],
              "no such field in the 'orderdp' policy's state (fields: loss)",
            );
        }
        const loaded = loadScores('state.policy.loss', s.loss!, n);
        last = loaded;
        lastBits = new Uint32Array(loaded.buffer);
      },
    };
  },
};
