import { encodeTyped } from '../codec.js';
import { floorOf } from '../count.js';
import { createLossEma, emaMeans, updateLossEma } from '../ema.js';
import { checkNumber, orDefault } from '../errors.js';
import { sampleSubset } from '../select.js';
import { floatBitsToKey, partitionTop } from '../top-k.js';
import type { Policy } from '../types.js';
import { parseDecay } from './options.js';
import { loadScores, stateObject } from './state.js';

export interface EpsilonGreedyOptions {
  /** Share of the k places filled at random, in [0, 1]. Default 0.1. */
  epsilon: number;
  /** EMA decay of the loss score, in [0, 1). Default 0.9. */
  decay: number;
}

/**
 * `epsilon-greedy` (Raju, Daruwalla & Lipasti 2021, arXiv:2111.12621, the ε-greedy bandit rule of Sutton & Barto
 * ch. 2 applied to samples). Score of a sample = exponential moving average of its observed training loss
 * (ema.ts; a never-observed sample ranks above every observed one). At each re-selection, with
 * k = N - floor(pruneRatio * N) and g = k - floor(ε k) = ceil((1 - ε) k):
 *   1. exploit: the g highest scores (ties at the boundary broken uniformly at random by the seed);
 *   2. explore: k - g samples uniformly without replacement from the N - g others.
 * Weight 1. Defaults ε = 0.1, decay = 0.9 (our choice; see docs/epsilon-greedy.md).
 * Memory: mean 4 B + key scratch 4 B + id scratch 4 B per sample.
 */
export const epsilonGreedy: Policy<EpsilonGreedyOptions> = {
  name: 'epsilon-greedy',
  summary: 'the ceil((1-ε)k) highest loss EMAs plus the rest uniformly at random (Raju et al.)',
  optionNames: ['epsilon', 'decay'],
  parseOptions: (raw) => ({
    epsilon: checkNumber('epsilon', orDefault(raw.epsilon, 0.1), 0, 1),
    decay: parseDecay(raw),
  }),
  create(ctx, { epsilon, decay }) {
    const n = ctx.datasetSize;
    let ema = createLossEma(n, { variance: false });
    const bits = new Uint32Array(n);
    const order = new Uint32Array(n);
    return {
      bytesPerSample: 12,
      choose(_epoch, rng) {
        const k = ctx.keep;
        const greedy = k - floorOf(epsilon, k);
        const means = new Uint32Array(ema.data.buffer, ema.data.byteOffset, n); // stride 1: the means' bits
        const hist = new Uint32Array(2048);
        for (let i = 0; i < n; i++) {
          const key = floatBitsToKey(means[i]!) >>> 0;
          bits[i] = key;
          hist[key >>> 21]!++;
        }
        partitionTop(bits, greedy, rng, order, n, true, hist);
        sampleSubset(order, greedy, n, k - greedy, rng, order, greedy);
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
