import { samplerOf } from '../sampler.js';
import { checkNumber, orDefault } from '../errors.js';
import { PrunerError } from '../errors.js';
import { sampleSubset } from '../select.js';
import type { Policy, PolicyContext } from '../types.js';
import { checkNullState } from './state.js';

export interface RampOptions {
  /**
   * Relative slope a of the data volume: the kept share goes linearly from f·(1 − a) at the first epoch to
   * f·(1 + a) at the last, f = k/N, so the run's mean is f. In [0, min(1, (1 − f)/f)]. Default 0.5.
   */
  ramp: number;
}

/**
 * Share of N kept by epochs [0, e): Σ_{j<e} f·(1 + a·(2j/(E − 1) − 1)) = f·e·(1 + a·((e − 1)/(E − 1) − 1)), whose
 * value at e = E is f·E (the ramp is symmetric about f). One epoch: no ramp.
 */
function keptBefore(e: number, f: number, a: number, epochs: number): number {
  return epochs <= 1 ? f * e : f * e * (1 + a * ((e - 1) / (epochs - 1) - 1));
}

/** Samples kept at `epoch`: differences of the rounded cumulative volume, so the run's total is round(k·E). */
export function rampKeep(
  epoch: number,
  ctx: Pick<PolicyContext, 'datasetSize' | 'keep' | 'totalEpochs'>,
  a: number,
): number {
  const n = ctx.datasetSize;
  const f = ctx.keep / n;
  const e = Math.min(Math.max(epoch, 0), ctx.totalEpochs - 1);
  const k =
    Math.round(n * keptBefore(e + 1, f, a, ctx.totalEpochs)) - Math.round(n * keptBefore(e, f, a, ctx.totalEpochs));
  return Math.min(n, Math.max(1, k));
}

/**
 * `ramp` (ours, the CIFAR-10 campaign's candidate; docs/ramp.md): uniform random dynamic pruning whose data volume
 * grows linearly over training, from f·(1 − a) of the data at the first epoch to f·(1 + a) at the last, f = k/N =
 * 1 − pruneRatio on average, so the run trains the same number of samples (and steps) as `random` at the same ratio.
 * The hypothesis it tests: early, high-learning-rate epochs tolerate fewer samples than the late, low-learning-rate
 * ones that set the final accuracy. Selection as `random` (sampleSubset: uniform without replacement), weight 1,
 * losses ignored, no state.
 */
export const ramp: Policy<RampOptions> = {
  name: 'ramp',
  summary: 'uniform random subsets growing linearly over training, mean k (ours)',
  optionNames: ['ramp'],
  consumes: 'nothing',
  defaults: { ramp: 0.5 },
  parseOptions: (raw, ctx) => {
    const max = Math.min(1, (ctx.datasetSize - ctx.keep) / ctx.keep); // (1 − f)/f, f = k/N, without rounding f first
    const a = checkNumber('ramp', orDefault(raw.ramp, Math.min(0.5, max)), 0, 1);
    if (a > max + 1e-12) {
      throw new PrunerError(
        'ramp',
        a,
        `a number in [0, ${max.toPrecision(4)}] at pruneRatio ${ctx.pruneRatio} (the last epoch would need more than all the data)`,
      );
    }
    return { ramp: a };
  },
  create(ctx, { ramp: a }) {
    return {
      bytesPerSample: 0,
      choose(epoch, rng) {
        const k = rampKeep(epoch, ctx, a);
        const indices = new Uint32Array(k);
        sampleSubset(null, 0, ctx.datasetSize, k, rng, indices, 0, undefined, samplerOf(ctx));
        return { indices };
      },
      observe: () => {},
      state: () => null,
      load: (state) => checkNullState('ramp', state),
    };
  },
};
