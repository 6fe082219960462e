import { createLossEma, updateLossEma } from '../ema.js';
import { checkNumber, orDefault } from '../errors.js';
import { floatBitsToKey, partitionTop } from '../top-k.js';
import type { Policy } from '../types.js';
import { parseDecay } from './options.js';
import { loadMeanVariance, meanVarianceState } from './state.js';

export interface UcbOptions {
  /** Weight of the standard deviation (exploration bonus), >= 0. Default 1. */
  c: number;
  /** EMA decay of the loss mean and variance, in [0, 1). Default 0.9. */
  decay: number;
}

/** A sample's UCB score: EMA mean + c · EMA std of its loss (NaN while never observed: ranked first). */
function ucbScore(mean: number, variance: number, c: number): number {
  return mean + c * Math.sqrt(variance);
}

/**
 * `ucb` (Raju, Daruwalla & Lipasti 2021, arXiv:2111.12621: upper-confidence-bound selection). Score of a sample =
 * m + c * sqrt(v), m and v the exponential moving average of its observed loss and of its squared deviation
 * (ema.ts, Finch 2009), computed in float64 and rounded to float32. A never-observed sample ranks above every
 * observed one. Each re-selection keeps the k = N - floor(pruneRatio * N) highest scores (ties at the boundary
 * broken uniformly at random by the seed). Weight 1. Defaults c = 1, decay = 0.9 (our choice; docs/ucb.md).
 * Memory: mean 4 B + variance 4 B + key scratch 4 B per sample.
 */
export const ucb: Policy<UcbOptions> = {
  name: 'ucb',
  summary: 'the k highest EMA(loss) + c * EMA-std(loss) (Raju et al.)',
  optionNames: ['c', 'decay'],
  parseOptions: (raw) => ({
    c: checkNumber('c', orDefault(raw.c, 1), 0, Infinity),
    decay: parseDecay(raw),
  }),
  create(ctx, { c, decay }) {
    const n = ctx.datasetSize;
    let ema = createLossEma(n);
    const keys = new Float32Array(n);
    const bits = new Uint32Array(keys.buffer);
    const score = (out: Float32Array) => {
      const { data } = ema; // mean, variance interleaved
      for (let i = 0; i < n; i++) out[i] = ucbScore(data[2 * i]!, data[2 * i + 1]!, c);
      return out;
    };
    return {
      bytesPerSample: 12,
      choose(_epoch, rng) {
        // Score, key and first radix histogram in one pass: write the float32 score, read its bits back through
        // the uint32 view.
        const { data } = ema;
        const hist = new Uint32Array(2048);
        for (let i = 0; i < n; i++) {
          keys[i] = ucbScore(data[2 * i]!, data[2 * i + 1]!, c);
          const key = floatBitsToKey(bits[i]!) >>> 0;
          bits[i] = key;
          hist[key >>> 21]!++;
        }
        const indices = new Uint32Array(ctx.keep);
        partitionTop(bits, ctx.keep, rng, indices, n, false, hist);
        return { indices };
      },
      observe: (ids, losses) => updateLossEma(ema, ids, losses, decay),
      scores: () => score(new Float32Array(n)),
      state: () => meanVarianceState(ema),
      load(state) {
        ema = loadMeanVariance('ucb', state, n);
      },
    };
  },
};
