/**
 * Row-wise softmax helpers over row-major logits [n, k], computed in float64 with the max subtracted
 * (no overflow for any finite logits).
 */

/** log Σ_j exp(z_j) of row `row`. */
export function logSumExp(logits: ArrayLike<number>, row: number, k: number): number {
  const o = row * k;
  let m = -Infinity;
  for (let j = 0; j < k; j++) if (logits[o + j]! > m) m = logits[o + j]!;
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp(logits[o + j]! - m);
  return m + Math.log(s);
}

/** Softmax cross-entropy of row `row` against class `label`: logSumExp(z) − z_label. */
export function crossEntropy(logits: ArrayLike<number>, row: number, k: number, label: number): number {
  return logSumExp(logits, row, k) - logits[row * k + label]!;
}

/**
 * ‖softmax(z) − onehot(label)‖² of row `row` = Σ_j p_j² − 2 p_label + 1, with p = softmax(z).
 * This is the squared EL2N score (and the ‖p − y‖² factor of last-layer GraNd).
 */
export function softmaxErrorSq(logits: ArrayLike<number>, row: number, k: number, label: number): number {
  const o = row * k;
  let m = -Infinity;
  for (let j = 0; j < k; j++) if (logits[o + j]! > m) m = logits[o + j]!;
  let s = 0;
  let s2 = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(logits[o + j]! - m);
    s += e;
    s2 += e * e;
  }
  const py = Math.exp(logits[o + label]! - m) / s;
  // Σ p_j² − 2 p_y + 1 ≥ 0 mathematically; clamp the rounding residue.
  return Math.max(0, s2 / (s * s) - 2 * py + 1);
}

/** Index of the largest logit of row `row` (the first one on ties, like tf.argMax). */
export function argMax(logits: ArrayLike<number>, row: number, k: number): number {
  const o = row * k;
  let best = 0;
  for (let j = 1; j < k; j++) if (logits[o + j]! > logits[o + best]!) best = j;
  return best;
}
