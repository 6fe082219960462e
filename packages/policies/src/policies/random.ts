import type { Policy } from '../types.js';
import { sampleWithoutReplacement } from '../select.js';

/**
 * `random` (uniform random dynamic pruning, Raju et al.): each selection draws k = N - floor(r N)
 * samples uniformly without replacement, independently of any statistics. Weight 1.
 */
export const random: Policy<Record<string, never>> = {
  name: 'random',
  summary: 'a new uniform random subset of k samples at every selection (Raju et al.)',
  optionNames: [],
  parseOptions: () => ({}),
  create(ctx) {
    return {
      bytesPerSample: 0,
      choose: (_epoch, rng) => ({ indices: sampleWithoutReplacement(ctx.datasetSize, ctx.keep, rng) }),
      observe: () => {},
      state: () => null,
      load: () => {},
    };
  },
};
