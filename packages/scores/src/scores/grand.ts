import { readOptions } from '../options.js';
import { LastValueTracker } from '../tracker.js';
import type { Score } from '../types.js';

/**
 * `grand` (Paul, Ganguli, Dziugaite 2021): ‖∇θ loss(x, y)‖₂ over all trainable parameters, exact. The per-sample
 * gradient norms come from `perSampleGradNorms` in `@dp/scores/tfjs` (one backward pass per sample: slow).
 */
export const grand: Score = {
  name: 'grand',
  summary: 'GraNd: per-sample gradient norm over all parameters, exact (slow; Paul et al. 2021)',
  inputs: ['gradNorms'],
  optionNames: [],
  defaults: { epochs: 0, runs: 1 },
  create(datasetSize, options) {
    readOptions('grand', [], options);
    return new LastValueTracker('grand', ['gradNorms'], datasetSize, {}, (b, i) => b.gradNorms![i]!);
  },
};
