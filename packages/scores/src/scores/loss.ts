import { readOptions } from '../options.js';
import { LastValueTracker } from '../tracker.js';
import type { Score } from '../types.js';

/** `loss`: the sample's most recent training loss (higher = harder = more important). */
export const loss: Score = {
  name: 'loss',
  summary: 'last per-sample training loss',
  inputs: ['losses'],
  optionNames: [],
  create(datasetSize, options) {
    readOptions('loss', [], options);
    return new LastValueTracker('loss', ['losses'], datasetSize, {}, (b, i) => b.losses![i]!);
  },
};
