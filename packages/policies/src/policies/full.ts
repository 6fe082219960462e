import type { Policy } from '../types.js';
import { identity } from '../select.js';
import { checkNullState } from './state.js';

/** `full` takes no options of its own (only the common ones). */
export type FullOptions = Record<never, never>;

/**
 * `full`: every sample, every epoch, weight 1, in a new seed-determined order each epoch. The unpruned baseline
 * every speed-up is measured against. pruneRatio is accepted but ignored: every epoch is a full-data epoch.
 */
export const full: Policy<FullOptions> = {
  name: 'full',
  summary: 'every sample every epoch (the unpruned baseline)',
  optionNames: [],
  baseline: true,
  consumes: 'nothing',
  defaults: {},
  parseOptions: () => ({}),
  isFullDataEpoch: () => true,
  create(ctx) {
    return {
      bytesPerSample: 0,
      choose: () => ({ indices: identity(ctx.datasetSize) }),
      observe: () => {},
      state: () => null,
      load: (state) => checkNullState('full', state),
    };
  },
};
