import { samplerOf } from '../sampler.js';
import { encodeTyped } from '../codec.js';
import { floorOf } from '../count.js';
import { createLossEma, emaMeans, updateLossEma } from '../ema.js';
import { checkNumber, orDefault, PrunerError } from '../errors.js';
import { sampleSubset } from '../select.js';
import { floatBitsToKey, partitionTop } from '../top-k.js';
import type { Json, Policy } from '../types.js';
import { parseChoice, parseDecay } from './options.js';
import { loadScores, stateObject } from './state.js';

export interface EpsilonGreedyOptions {
  /** Share of the k places filled at random (at epoch 0 when ε decays), in [0, 1]. Default 0.1. */
  epsilon: number;
  /** EMA decay of the loss score, in [0, 1). Default 0.9. */
  decay: number;
  /** How ε changes over the run: 'constant' (default), or 'linear' / 'exponential' from epsilon to epsilonFinal. */
  epsilonSchedule: EpsilonSchedule;
  /** ε at the last epoch, in [0, epsilon] ((0, epsilon] for 'exponential'). Default epsilon / 10. Absent with 'constant'. */
  epsilonFinal?: number;
}

export type EpsilonSchedule = 'constant' | 'linear' | 'exponential';

/**
 * ε for the selection at `epoch` (0-based) of a run of `totalEpochs`: with f = epoch / (totalEpochs - 1) (0 for a
 * one-epoch run), 'linear' gives (1 - f) · ε + f · ε_final and 'exponential' ε^(1 - f) · ε_final^f (the same ratio
 * every epoch), so ε at epoch 0 and ε_final at the last epoch exactly; 'constant' gives ε.
 */
export function scheduledEpsilon(
  options: Pick<EpsilonGreedyOptions, 'epsilon' | 'epsilonSchedule' | 'epsilonFinal'>,
  epoch: number,
  totalEpochs: number,
): number {
  const { epsilon, epsilonSchedule, epsilonFinal } = options;
  if (epsilonSchedule === 'constant' || epsilonFinal === undefined) return epsilon;
  const f = totalEpochs > 1 ? Math.min(epoch / (totalEpochs - 1), 1) : 0;
  const e =
    epsilonSchedule === 'linear' ? (1 - f) * epsilon + f * epsilonFinal : epsilon ** (1 - f) * epsilonFinal ** f;
  return Math.min(Math.max(e, epsilonFinal), epsilon); // rounding never leaves [ε_final, ε]
}

/**
 * `epsilon-greedy` (Raju, Daruwalla & Lipasti 2021, arXiv:2111.12621, the ε-greedy bandit rule of Sutton & Barto
 * ch. 2 applied to samples). Score of a sample = exponential moving average of its observed training loss
 * (ema.ts; a never-observed sample ranks above every observed one). At each re-selection, with
 * k = N - floor(pruneRatio * N) and g = k - floor(ε k) = ceil((1 - ε) k):
 *   1. exploit: the g highest scores (ties at the boundary broken uniformly at random by the seed);
 *   2. explore: k - g samples uniformly without replacement from the N - g others.
 * ε is constant, or decays over the run from `epsilon` to `epsilonFinal` (scheduledEpsilon, evaluated at the
 * re-selection's epoch). Weight 1. Defaults ε = 0.1, decay = 0.9, constant; a decaying ε ends at ε / 10 unless
 * set (our choice; see docs/epsilon-greedy.md). Memory: mean 4 B + key scratch 4 B + id scratch 4 B per sample.
 */
export const epsilonGreedy: Policy<EpsilonGreedyOptions> = {
  name: 'epsilon-greedy',
  summary: 'the ceil((1-ε)k) highest loss EMAs plus the rest uniformly at random, ε constant or decaying (Raju et al.)',
  optionNames: ['epsilon', 'decay', 'epsilonSchedule', 'epsilonFinal'],
  consumes: 'losses',
  defaults: { epsilon: 0.1, decay: 0.9, epsilonSchedule: 'constant' },
  parseOptions: (raw) => {
    const epsilon = checkNumber('epsilon', orDefault(raw.epsilon, 0.1), 0, 1);
    const decay = parseDecay(raw);
    const epsilonSchedule = parseChoice(
      'epsilonSchedule',
      raw.epsilonSchedule,
      ['constant', 'linear', 'exponential'] as const,
      'constant',
    );
    if (epsilonSchedule === 'constant') {
      if (raw.epsilonFinal !== undefined) {
        throw new PrunerError(
          'epsilonFinal',
          raw.epsilonFinal,
          "no value with epsilonSchedule 'constant' (set epsilonSchedule to 'linear' or 'exponential')",
        );
      }
      return { epsilon, decay, epsilonSchedule };
    }
    // An exponential decay cannot reach 0 (unless it starts there).
    const open = epsilonSchedule === 'exponential' && epsilon > 0;
    const epsilonFinal = checkNumber('epsilonFinal', orDefault(raw.epsilonFinal, epsilon / 10), 0, epsilon, {
      minOpen: open,
    });
    return { epsilon, decay, epsilonSchedule, epsilonFinal };
  },
  // 'constant' describes itself as before the schedule existed, so its fingerprint (and saved states) are unchanged.
  describeOptions: ({ epsilon, decay, epsilonSchedule, epsilonFinal }): Json =>
    epsilonSchedule === 'constant'
      ? { epsilon, decay }
      : { epsilon, decay, epsilonSchedule, epsilonFinal: epsilonFinal! },
  create(ctx, options) {
    const { decay } = options;
    const n = ctx.datasetSize;
    let ema = createLossEma(n, { variance: false });
    const bits = new Uint32Array(n);
    const order = new Uint32Array(n);
    return {
      bytesPerSample: 12,
      choose(epoch, rng) {
        const k = ctx.keep;
        const greedy = k - floorOf(scheduledEpsilon(options, epoch, ctx.totalEpochs), k);
        // Keys straight from the means' bits (stride 1) and the first radix histogram, in one pass.
        const means = new Uint32Array(ema.data.buffer, ema.data.byteOffset, n);
        const hist = new Uint32Array(2048);
        for (let i = 0; i < n; i++) {
          const key = floatBitsToKey(means[i]!) >>> 0;
          bits[i] = key;
          hist[key >>> 21]!++;
        }
        partitionTop(bits, greedy, rng, order, n, true, hist);
        // The keys are no longer needed: their array is the sampling scratch.
        sampleSubset(order, greedy, n, k - greedy, rng, order, greedy, bits, samplerOf(ctx));
        return { indices: order.slice(0, k) };
      },
      observe: (ids, losses) => updateLossEma(ema, ids, losses, decay),
      scores: () => emaMeans(ema),
      state: () => ({ mean: encodeTyped(ema.data) }),
      load(state) {
        const s = stateObject('epsilon-greedy', state, ['mean']);
        ema = { size: n, stride: 1, data: loadScores('state.policy.mean', s.mean!, n) };
      },
    };
  },
};
