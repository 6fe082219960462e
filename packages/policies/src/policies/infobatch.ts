import { encodeTyped } from '../codec.js';
import { ceilOf } from '../count.js';
import { checkNumber, orDefault } from '../errors.js';
import { SIGN, signedBelow } from '../rng.js';
import type { Policy } from '../types.js';
import { loadScores, stateObject } from './state.js';

export interface InfoBatchOptions {
  /** Prune during the first δ of training: epochs e < δ * totalEpochs; full data after. In (0, 1]. Default 0.875. */
  delta: number;
}

/**
 * `infobatch` (Qin et al., "InfoBatch: Lossless Training Speed Up by Unbiased Dynamic Data Pruning", ICLR 2024).
 * Score of a sample = its last observed training loss. At each re-selection, with r = pruneRatio and m = the mean
 * score over the samples observed so far, every observed sample with score < m ("well learned") is dropped
 * independently with probability r (one uniform uint32 x per sample, in id order; dropped iff x / 2^32 < r) and, when
 * kept, gets loss weight 1/(1 - r) (rounded to float32); every other sample is kept with weight 1. So the
 * expected weighted loss of an epoch equals the unpruned one, and the number kept varies (Selection.kept).
 * Never-observed samples are never dropped (InfoBatch initialises all scores equal, so its first epoch prunes
 * nothing either); the mean is over observed samples only (our choice: InfoBatch averages its initial constant in).
 * Epochs e >= δ * totalEpochs (0-based; the last 1 - δ of training) use all data with weight 1, as the paper's
 * annealing. Defaults r = the config's pruneRatio (InfoBatch uses 0.5), δ = 0.875 (the paper's default).
 * Memory: last loss 4 B + id scratch 4 B per sample.
 */
export const infobatch: Policy<InfoBatchOptions> = {
  name: 'infobatch',
  summary:
    'drop a random share r of below-mean-loss samples, rescale the rest by 1/(1-r); full data at the end (Qin et al.)',
  optionNames: ['delta'],
  consumes: 'losses',
  defaults: { delta: 0.875 },
  parseOptions: (raw) => ({ delta: checkNumber('delta', orDefault(raw.delta, 0.875), 0, 1, { minOpen: true }) }),
  // e >= δT, with δT snapped to an integer when within float64 rounding of it (0.28 * 25 = 7.000000000000001 is 7).
  isFullDataEpoch: (epoch, ctx, { delta }) => epoch >= ceilOf(delta, ctx.totalEpochs),
  create(ctx) {
    const n = ctx.datasetSize;
    let last: Float32Array = new Float32Array(n).fill(Number.NaN);
    const r = ctx.pruneRatio;
    const upWeight = Math.fround(1 / (1 - r));
    const scratch = new Uint32Array(n); // every id written, the kept ones compacted to the front; the result is a copy
    return {
      bytesPerSample: 8,
      choose(_epoch, rng) {
        let sum = 0;
        let count = 0;
        for (let i = 0; i < n; i++) {
          const s = last[i]!;
          if (s === s) {
            sum += s;
            count++;
          }
        }
        const mean = count > 0 ? sum / count : Number.NaN;
        // One uniform uint32 x per sample in id order (used by below-mean samples only): a below-mean sample is
        // dropped iff x / 2^32 < r, i.e. x < r * 2^32 (exact in float64). Branch-free: whether a sample is below
        // the mean, and whether it is dropped, are random, so branches would mispredict. Up-weighted samples are
        // flagged in bit 31 of their id (Choice.flaggedWeight), or given a weight array when N > 2^31.
        // For an integer x, x < r * 2^32 iff x < ceil(r * 2^32) =: t in [0, 2^32]: compared in int32 (rng.ts
        // signedBelow) when t >= 1; t = 0 (r = 0) drops nothing (`live` 0).
        const t = Math.ceil(r * 4294967296);
        const bound = signedBelow(Math.max(t, 1));
        const live = +(t > 0);
        const flagged = n <= 0x80000000;
        const indices = scratch;
        const weights = flagged ? null : new Float32Array(n);
        const block = new Uint32Array(4096);
        const draws = new Int32Array(block.buffer);
        let kept = 0;
        for (let i0 = 0; i0 < n; i0 += block.length) {
          rng.fill(block);
          const stop = Math.min(block.length, n - i0);
          if (weights === null) {
            for (let q = 0; q < stop; q++) {
              const i = i0 + q;
              const below = +(last[i]! < mean);
              indices[kept] = i | (below << 31);
              kept += 1 - (below & live & +((draws[q]! ^ SIGN) <= bound));
            }
          } else {
            for (let q = 0; q < stop; q++) {
              const i = i0 + q;
              const below = +(last[i]! < mean);
              indices[kept] = i;
              weights[kept] = below ? upWeight : 1;
              kept += 1 - (below & live & +((draws[q]! ^ SIGN) <= bound));
            }
          }
        }
        if (weights === null) return { indices: indices.slice(0, kept), flaggedWeight: upWeight };
        return { indices: indices.slice(0, kept), weights: weights.slice(0, kept) };
      },
      observe(ids, losses) {
        for (let i = 0; i < ids.length; i++) last[ids[i]!] = losses[i]!;
      },
      scores: () => last.slice(),
      state: () => ({ loss: encodeTyped(last) }),
      load(state) {
        const s = stateObject('infobatch', state, ['loss']);
        last = loadScores('state.policy.loss', s.loss!, n);
      },
    };
  },
};
