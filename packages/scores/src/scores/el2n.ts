import { readOptions } from '../options.js';
import { softmaxErrorSq } from '../softmax.js';
import { LastValueTracker } from '../tracker.js';
import type { Score } from '../types.js';

/** `el2n` (Paul, Ganguli, Dziugaite 2021): ‖softmax(logits) − onehot(label)‖₂ at the sample's latest update. */
export const el2n: Score = {
  name: 'el2n',
  summary: 'EL2N: L2 norm of softmax(logits) - onehot(label) (Paul et al. 2021)',
  inputs: ['logits', 'labels'],
  optionNames: [],
  defaults: { epochs: 2, runs: 2 },
  create(datasetSize, options) {
    readOptions('el2n', [], options);
    return new LastValueTracker('el2n', ['logits', 'labels'], datasetSize, {}, (b, i) =>
      Math.sqrt(softmaxErrorSq(b.logits!, i, b.numClasses, b.labels![i]!)),
    );
  },
};
