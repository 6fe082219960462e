import type { Score } from '../types.js';
import { EMA_OPTION_NAMES, parseEmaOptions } from './ema-options.js';
import { EmaTracker } from './loss-ema.js';

/**
 * `batch-loss`: every sample of a batch receives the batch's mean loss, folded into a per-sample EMA (mean and
 * squared deviation, exactly as `loss-ema`). For trainers that only see the mean loss (tfjs `model.fit` users).
 */
export const batchLoss: Score = {
  name: 'batch-loss',
  summary: 'EMA of the mean loss of the batches a sample was in (for model.fit users)',
  inputs: ['batchLoss'],
  optionNames: EMA_OPTION_NAMES,
  create(datasetSize, options) {
    return new EmaTracker(
      'batch-loss',
      ['batchLoss'],
      datasetSize,
      parseEmaOptions('batch-loss', options),
      (b) => b.batchLoss!,
    );
  },
};
