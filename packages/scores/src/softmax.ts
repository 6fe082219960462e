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
 * ‖softmax(z) − onehot(label)‖² of row `row`, with p = softmax(z): the squared EL2N score (and the ‖p − y‖² factor of
 * last-layer GraNd). Computed as (1 − p_y)² + Σ_{j≠y} p_j² = (R² + Q) / S² with e_j = exp(z_j − max z), S = Σ e_j,
 * R = Σ_{j≠y} e_j (= S·(1 − p_y)) and Q = Σ_{j≠y} e_j²: sums of positive terms only, so a confident sample's tiny
 * error keeps full relative precision (the expanded Σ p_j² − 2 p_y + 1 cancels to 0 from a logit margin of ~25 on).
 */
export function softmaxErrorSq(logits: ArrayLike<number>, row: number, k: number, label: number): number {
  const o = row * k;
  let m = -Infinity;
  for (let j = 0; j < k; j++) if (logits[o + j]! > m) m = logits[o + j]!;
  let r = 0;
  let q = 0;
  let ey = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(logits[o + j]! - m);
    if (j === label) {
      ey = e;
    } else {
      r += e;
      q += e * e;
    }
  }
  const s = ey + r;
  return (r * r + q) / (s * s);
}

/** Index of the largest logit of row `row` (the first one on ties, like tf.argMax). */
export function argMax(logits: ArrayLike<number>, row: number, k: number): number {
  const o = row * k;
  let best = 0;
  for (let j = 1; j < k; j++) if (logits[o + j]! > logits[o + best]!) best = j;
  return best;
}
