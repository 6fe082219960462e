import { readOptions } from '../options.js';
import { softmaxErrorSq } from '../softmax.js';
import { LastValueTracker } from '../tracker.js';
import type { Score } from '../types.js';

/**
 * `grand-last-layer`: GraNd restricted to the final dense layer z = Wh + b, in closed form. With p = softmax(z)
 * and y = onehot(label), ∇_W loss = (p − y) hᵀ and ∇_b loss = p − y, so
 *   ‖∇_W‖² + ‖∇_b‖² = ‖p − y‖² (‖h‖² + 1)   and the score is its square root.
 * NOT the full GraNd: it ignores every earlier layer (it is a lower bound of it).
 */
export const grandLastLayer: Score = {
  name: 'grand-last-layer',
  summary: 'GraNd of the final dense layer only, closed form ||p - y|| sqrt(||h||^2 + 1) (cheap)',
  inputs: ['logits', 'labels', 'featureSqNorms'],
  optionNames: [],
  defaults: { epochs: 0, runs: 2 },
  create(datasetSize, options) {
    readOptions('grand-last-layer', [], options);
    return new LastValueTracker('grand-last-layer', ['logits', 'labels', 'featureSqNorms'], datasetSize, {}, (b, i) =>
      Math.sqrt(softmaxErrorSq(b.logits!, i, b.numClasses, b.labels![i]!) * (b.featureSqNorms![i]! + 1)),
    );
  },
};
