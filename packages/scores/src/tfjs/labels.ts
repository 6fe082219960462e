import { ScoreError, invalid } from '../errors.js';

/** Validate labels for a batch of `n` rows and `k` classes. */
export function checkLabels(labels: ArrayLike<number>, n: number, k: number): void {
  if (labels == null || typeof labels.length !== 'number')
    throw invalid('labels', labels, 'an Int32Array of class labels');
  if (labels.length !== n)
    throw new ScoreError(
      `labels has length ${labels.length} but x has ${n} rows`,
      'pass one label per row of x',
      'labels',
    );
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new ScoreError(
        `labels[${i}] = ${String(y)} is invalid: expected an integer in [0, ${k - 1}]`,
        'labels are class indices of the model output: check the dataset and numClasses',
        'labels',
      );
    }
  }
}
