import type { Policy } from '../types.js';
import { samplerOf } from '../sampler.js';
import { sampleSubset } from '../select.js';
import { checkNullState } from './state.js';

/** `random` takes no options of its own (only the common ones). */
export type RandomOptions = Record<never, never>;

/**
 * `random` — uniform random dynamic pruning (Raju, Daruwalla & Lipasti 2021, "Accelerating Deep Learning with
 * Dynamic Data Pruning", arXiv:2111.12621, the "uniform random dynamic" baseline). At each re-selection, k =
 * N - floor(pruneRatio * N) distinct samples drawn uniformly without replacement (sampleSubset: one sequential
 * pass, no per-sample statistics), independent of any loss. Weight 1. Observed losses are ignored.
 * Memory: an id scratch of 4 B per sample, kept so that a selection allocates no N-sized array.
 */
export const random: Policy<RandomOptions> = {
  name: 'random',
  summary: 'a new uniform random subset of k samples at every selection (Raju et al.)',
  optionNames: [],
  reference: true,
  consumes: 'nothing',
  defaults: {},
  parseOptions: () => ({}),
  create(ctx) {
    const scratch = new Uint32Array(ctx.datasetSize);
    return {
      bytesPerSample: 4,
      choose(_epoch, rng) {
        const indices = new Uint32Array(ctx.keep);
        sampleSubset(null, 0, ctx.datasetSize, ctx.keep, rng, indices, 0, scratch, samplerOf(ctx));
        return { indices };
      },
      observe: () => {},
      state: () => null,
      load: (state) => checkNullState('random', state),
    };
  },
};
