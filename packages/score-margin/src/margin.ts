import { LastValueTracker, readOptions, type Score } from '@dp/scores';

/**
 * Negated classification margin of row `row`: max_{j≠y} z_j − z_y, from row-major logits [n, k].
 * Positive when the sample is misclassified, near 0 at the decision boundary, very negative when confidently right.
 */
export function negatedMargin(logits: ArrayLike<number>, row: number, k: number, label: number): number {
  const o = row * k;
  let other = -Infinity;
  for (let j = 0; j < k; j++) if (j !== label && logits[o + j]! > other) other = logits[o + j]!;
  return other - logits[o + label]!;
}

/**
 * `margin`: the sample's latest negated logit margin, −(z_y − max_{j≠y} z_j). Higher = closer to (or across) the
 * decision boundary = more important. Computed from the training step's logits; no extra forward pass.
 */
const margin: Score = {
  name: 'margin',
  summary: 'negated logit margin: largest other logit minus the true-class logit (higher = less confident)',
  inputs: ['logits', 'labels'],
  optionNames: [],
  create(datasetSize, options) {
    readOptions('margin', [], options);
    return new LastValueTracker('margin', ['logits', 'labels'], datasetSize, {}, (b, i) =>
      negatedMargin(b.logits!, i, b.numClasses, b.labels![i]!),
    );
  },
};

export default margin;
