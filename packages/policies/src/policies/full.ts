import type { Policy } from '../types.js';
import { identity } from '../select.js';

/**
 * `full`: every sample, every epoch, weight 1. The baseline every speed-up is measured against.
 */
export const full: Policy<Record<string, never>> = {
  name: 'full',
  summary: 'every sample every epoch (the unpruned baseline)',
  optionNames: [],
  parseOptions: () => ({}),
  create(ctx) {
    return {
      bytesPerSample: 0,
      choose: () => ({ indices: identity(ctx.datasetSize) }),
      observe: () => {},
      state: () => null,
      load: () => {},
    };
  },
};
