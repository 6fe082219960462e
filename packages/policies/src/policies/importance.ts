import { createLossEma, updateLossEma } from '../ema.js';
import { checkNumber, orDefault } from '../errors.js';
import { cappedShares, PPS_BLOCK, samplePps } from '../pps.js';
import type { Policy } from '../types.js';
import { parseDecay } from './options.js';
import { loadMeanVariance, meanVarianceState } from './state.js';

export interface ImportanceOptions {
  /** Weight of the loss standard deviation in the score (as in `ucb`), >= 0. Default 1. */
  c: number;
  /** EMA decay of the loss mean and variance, in [0, 1). Default 0.9. */
  decay: number;
  /** Share of the sampling probability spread uniformly, in [0.001, 1]; the largest weight is 1 / mix. Default 0.5. */
  mix: number;
}

/**
 * `importance` — the UCB score (EMA mean + c · EMA std of the loss, as in `ucb`) used as a sampling probability
 * instead of a threshold, with inverse-probability weights so the weighted loss is an unbiased estimate of the
 * full-data loss (Horvitz & Thompson 1952; importance sampling for SGD: Katharopoulos & Fleuret 2018).
 * At each re-selection, with k = N - floor(pruneRatio * N): inclusion probabilities
 * p_i = k · ((1 − mix) · s_i / Σs + mix / N), capped at 1 (pps.ts); exactly k samples drawn by systematic
 * sampling over randomly ordered blocks of ids; weight k / (N · p_i), so E[Σ_chosen w_i · loss_i] =
 * (k / N) · Σ_all loss_i and a uniform p gives weight 1. Never-observed samples take the highest observed score (all unobserved: uniform).
 * Defaults c = 1, decay = 0.9 (ucb's), mix = 0.5 (docs/importance.md). Memory: EMA 8 B + probability 8 B per
 * sample, + 4 B per block of 64 (the block order).
 *
 * Speed: one selection is five sequential passes (scores; relative sizes; shares with the first capping round;
 * further capping rounds, usually one; the sampling pass, which also writes the weights; pps.ts), with no per-call
 * scratch besides the result. It gives bit for bit the selection of the straightforward form (inclusionProbabilities, then
 * systematicSample, then the weights: nine to ten passes); a pinned-hash test holds it to that.
 */
export const importance: Policy<ImportanceOptions> = {
  name: 'importance',
  summary: 'k samples drawn with probability ∝ the UCB score, weighted 1/p so the gradient stays unbiased',
  optionNames: ['c', 'decay', 'mix'],
  consumes: 'losses',
  defaults: { c: 1, decay: 0.9, mix: 0.5 },
  parseOptions: (raw) => ({
    c: checkNumber('c', orDefault(raw.c, 1), 0, Infinity),
    decay: parseDecay(raw),
    mix: checkNumber('mix', orDefault(raw.mix, 0.5), 0.001, 1),
  }),
  create(ctx, { c, decay, mix }) {
    const n = ctx.datasetSize;
    let ema = createLossEma(n);
    const p = new Float64Array(n);
    const blocks = new Uint32Array(Math.ceil(n / PPS_BLOCK)); // systematic sampling's block order (scratch)
    return {
      bytesPerSample: 16 + 4 / PPS_BLOCK,
      choose(_epoch, rng) {
        const k = ctx.keep;
        // Pass 1: the UCB scores (float64, NaN for never observed) and the highest observed one.
        const { data } = ema;
        let top = -Infinity;
        for (let i = 0; i < n; i++) {
          const s = data[2 * i]! + c * Math.sqrt(data[2 * i + 1]!);
          p[i] = s;
          if (s > top) top = s;
        }
        // Sizes: unobserved -> the highest observed score (or all equal); losses below 0 (custom losses) -> 0; a
        // score beyond float64 (a huge c) -> the largest finite number. The largest size is then min(fill, MAX_VALUE).
        const fill = top > 0 ? top : top === -Infinity ? 1 : 0;
        const max = Math.min(fill, Number.MAX_VALUE);
        // Pass 2: sizes relative to the largest and their sum (inclusionProbabilities' first steps, validation
        // aside: these sizes are finite and >= 0 by construction).
        let total = 0;
        if (max > 0 && top < Infinity) {
          // Every size is at most top, finite: the MAX_VALUE bound is a no-op (the common, faster loop).
          for (let i = 0; i < n; i++) {
            const s = p[i]!;
            const r = (s !== s ? fill : s > 0 ? s : 0) / max;
            p[i] = r;
            total += r;
          }
        } else if (max > 0) {
          for (let i = 0; i < n; i++) {
            const s = p[i]!;
            const r = Math.min(s !== s ? fill : s > 0 ? s : 0, Number.MAX_VALUE) / max;
            p[i] = r;
            total += r;
          }
        }
        const scale = cappedShares(p, n, k, mix, max, total);
        const indices = new Uint32Array(k);
        const weights = new Float32Array(k);
        samplePps(p, scale, n, k, rng, indices, weights, blocks);
        return { indices, weights };
      },
      observe: (ids, losses) => updateLossEma(ema, ids, losses, decay),
      scores: () => {
        const { data } = ema;
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = data[2 * i]! + c * Math.sqrt(data[2 * i + 1]!);
        return out;
      },
      state: () => meanVarianceState(ema),
      load(state) {
        ema = loadMeanVariance('importance', state, n);
      },
    };
  },
};
