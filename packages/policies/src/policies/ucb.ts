import { decodeUint32, encodeTyped } from '../codec.js';
import { createLossEma, updateLossEma } from '../ema.js';
import { checkNumber, orDefault, PrunerError } from '../errors.js';
import { keysAndHistogram, partitionTop } from '../top-k.js';
import type { Json, Policy } from '../types.js';
import { parseChoice, parseDecay } from './options.js';
import { loadMeanVariance, meanVarianceState, stateObject } from './state.js';

export interface UcbOptions {
  /** Weight of the exploration bonus, >= 0. Default 1. */
  c: number;
  /** EMA decay of the loss mean and variance, in [0, 1). Default 0.9. */
  decay: number;
  /**
   * The exploration bonus: 'std' (default) c · EMA std of the loss (Raju et al.); 'count' c · sqrt(ln t / n_i), the
   * UCB1 bonus (Auer et al. 2002), n_i the times sample i was observed, t the observations so far over N (>= 1).
   */
  bonus: 'std' | 'count';
}

/** A sample's UCB score: EMA mean + c · EMA std of its loss (NaN while never observed: ranked first). */
function ucbScore(mean: number, variance: number, c: number): number {
  return mean + c * Math.sqrt(variance);
}

/** Counts below this get their count bonus from a table filled once per selection (the same float64 value). */
const BONUS_TABLE = 1024;

/**
 * `ucb` (Raju, Daruwalla & Lipasti 2021, arXiv:2111.12621: upper-confidence-bound selection). Score of a sample =
 * m + c * sqrt(v), m and v the exponential moving average of its observed loss and of its squared deviation
 * (ema.ts, Finch 2009), computed in float64 and rounded to float32. With bonus 'count', score = m + c * sqrt(ln t / n)
 * instead (UCB1, Auer, Cesa-Bianchi & Fischer 2002): n = the times the sample was observed, t = all observations so
 * far / N (epochs' worth of training, at least 1), so the bonus of a sample that sits out grows with t until it is
 * chosen again. A never-observed sample ranks above every observed one. Each re-selection keeps the
 * k = N - floor(pruneRatio * N) highest scores (ties at the boundary broken uniformly at random by the seed).
 * Weight 1. Defaults c = 1, decay = 0.9, bonus 'std' (our choice; docs/ucb.md).
 * Memory: mean 4 B + variance 4 B + key scratch 4 B per sample, + count 4 B with bonus 'count'.
 */
export const ucb: Policy<UcbOptions> = {
  name: 'ucb',
  summary: 'the k highest EMA(loss) + c * EMA-std(loss) (Raju et al.), or + c * sqrt(ln t / n) (UCB1)',
  optionNames: ['c', 'decay', 'bonus'],
  consumes: 'losses',
  defaults: { c: 1, decay: 0.9, bonus: 'std' },
  parseOptions: (raw) => ({
    c: checkNumber('c', orDefault(raw.c, 1), 0, Infinity),
    decay: parseDecay(raw),
    bonus: parseChoice('bonus', raw.bonus, ['std', 'count'] as const, 'std'),
  }),
  // 'std' describes itself as before the option existed, so its fingerprint (and saved states) are unchanged.
  describeOptions: ({ c, decay, bonus }): Json => (bonus === 'std' ? { c, decay } : { c, decay, bonus }),
  create(ctx, { c, decay, bonus }) {
    const n = ctx.datasetSize;
    const byCount = bonus === 'count';
    let ema = createLossEma(n);
    let counts: Uint32Array = new Uint32Array(byCount ? n : 0); // observations per sample (bonus 'count')
    let observed = 0; // Σ counts
    const keys = new Float32Array(n);
    const bits = new Uint32Array(keys.buffer);
    const table = new Float64Array(byCount ? BONUS_TABLE : 0);
    /** Fill the bonus table for the current t; returns ln t. */
    const logT = () => {
      const lt = Math.log(Math.max(observed / n, 1));
      for (let j = 1; j < table.length; j++) table[j] = c * Math.sqrt(lt / j);
      return lt;
    };
    /** The count score; NaN (first) for a never-observed sample, whose mean is NaN. */
    const countScore = (mean: number, count: number, lt: number) =>
      mean + (count < BONUS_TABLE ? table[count]! : c * Math.sqrt(lt / count));
    const score = (out: Float32Array) => {
      const { data } = ema; // mean, variance interleaved
      if (byCount) {
        const lt = logT();
        for (let i = 0; i < n; i++) out[i] = countScore(data[2 * i]!, counts[i]!, lt);
      } else {
        for (let i = 0; i < n; i++) out[i] = ucbScore(data[2 * i]!, data[2 * i + 1]!, c);
      }
      return out;
    };
    return {
      bytesPerSample: byCount ? 16 : 12,
      choose(_epoch, rng) {
        // The float32 scores, then (through the uint32 view) their sortable keys and the first radix histogram. Two
        // loops, not one: reading a float's bits back right after writing it through the other view makes V8's
        // loop ~1.5x slower than the two passes together.
        score(keys);
        const indices = new Uint32Array(ctx.keep);
        partitionTop(bits, ctx.keep, rng, indices, n, false, keysAndHistogram(bits, n));
        return { indices };
      },
      observe(ids, losses) {
        updateLossEma(ema, ids, losses, decay);
        if (!byCount) return;
        // Saturating at 2^32 - 1 (never reached in practice), so a count never wraps to 0 ("unobserved").
        for (let i = 0; i < ids.length; i++) counts[ids[i]!] = Math.min(counts[ids[i]!]! + 1, 0xffffffff);
        observed += ids.length;
      },
      scores: () => score(new Float32Array(n)),
      state: () =>
        byCount
          ? { ...(meanVarianceState(ema) as Record<string, Json>), count: encodeTyped(counts) }
          : meanVarianceState(ema),
      load(state) {
        if (!byCount) {
          ema = loadMeanVariance('ucb', state, n);
          return;
        }
        const s = stateObject('ucb', state, ['mean', 'variance', 'count']);
        const loaded = loadMeanVariance('ucb', state, n);
        const loadedCounts = decodeUint32('state.policy.count', s.count, n);
        let total = 0;
        for (let i = 0; i < n; i++) {
          const m = loaded.data[2 * i]!;
          const k = loadedCounts[i]!;
          if (m === m ? k === 0 : k !== 0) {
            throw new PrunerError(
              `state.policy.count[${i}]`,
              k,
              m === m
                ? 'an integer >= 1 (the sample has a mean, so it was observed)'
                : '0 (the sample was never observed: its mean is NaN)',
            );
          }
          total += k;
        }
        ema = loaded;
        counts = loadedCounts;
        observed = total;
      },
    };
  },
};
