/**
 * Exponential moving averages of each sample's loss and of its squared deviation, updated in place from the
 * per-sample losses a training step already computed. The first observation of a sample initialises its mean
 * to that loss and its variance to 0. With decay d, after a new loss x:
 *   delta = x - mean;  mean += (1 - d) * delta;  var = d * (var + (1 - d) * delta^2)
 * (the standard exponentially weighted variance, West 1979 / Finch 2009).
 */
export interface LossEmaState {
  mean: Float32Array;
  variance: Float32Array;
  /** How many times each sample has been observed (saturates at 2^32 - 1). */
  seen: Uint32Array;
}

export function createLossEma(size: number): LossEmaState {
  return { mean: new Float32Array(size), variance: new Float32Array(size), seen: new Uint32Array(size) };
}

/** Update `state` in place with one batch of per-sample losses. Inputs must already be validated. */
export function updateLossEma(state: LossEmaState, ids: ArrayLike<number>, losses: ArrayLike<number>, decay: number): void {
  const { mean, variance, seen } = state;
  const a = 1 - decay;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const x = losses[i]!;
    if (seen[id] === 0) {
      mean[id] = x;
      variance[id] = 0;
    } else {
      const delta = x - mean[id]!;
      mean[id]! += a * delta;
      variance[id] = decay * (variance[id]! + a * delta * delta);
    }
    if (seen[id]! < 0xffffffff) seen[id]!++;
  }
}
