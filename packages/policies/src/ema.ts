/**
 * Exponential moving averages of each sample's training loss and of its squared deviation, updated in place from
 * the per-sample losses a training step already computed. This is the single implementation in the repository
 * (`@dp/scores` re-exports it). With decay d, a sample's first loss x sets mean = x, variance = 0; every later
 * loss x does
 *
 *   delta = x - mean;  mean += (1 - d) * delta;  variance = d * (variance + (1 - d) * delta^2)
 *
 * the exponentially weighted mean and variance of Finch (2009), "Incremental calculation of weighted mean and
 * variance", eqs. 124 and 143 (West 1979). Arithmetic is float64, storage float32.
 *
 * Layout: one Float32Array, mean only (stride 1) or mean and variance interleaved (stride 2: data[2i] = mean,
 * data[2i + 1] = variance), so that updating a sample touches one cache line; training visits samples in random
 * order, so this halves the cache misses of observe(). A never-observed sample has mean NaN (losses are validated
 * finite, so NaN is free as the "unseen" marker and no counter array is needed).
 */
export interface LossEma {
  /** Number of samples. */
  readonly size: number;
  /** 1: mean only; 2: mean and variance interleaved. */
  readonly stride: 1 | 2;
  /** size * stride floats; the mean of sample i is data[i * stride] (NaN = never observed). */
  readonly data: Float32Array;
}

/** A fresh state for `size` samples, all unobserved. */
export function createLossEma(size: number, { variance = true }: { variance?: boolean } = {}): LossEma {
  const stride = variance ? 2 : 1;
  const data = new Float32Array(size * stride);
  for (let i = 0; i < data.length; i += stride) data[i] = Number.NaN;
  return { size, stride, data };
}

/**
 * Update `state` in place with one batch of per-sample losses. Inputs must already be validated: integer ids in
 * range, losses in [-MAX_LOSS, MAX_LOSS] (validate.ts; larger ones overflow the float32 variance), decay in [0, 1). A sample repeated within the batch is updated once per occurrence, in order.
 */
export function updateLossEma(state: LossEma, ids: ArrayLike<number>, losses: ArrayLike<number>, decay: number): void {
  if (state.stride === 1) updateMean(state.data, ids, losses, decay);
  else updateMeanVariance(state.data, ids, losses, decay);
}

// Two small monomorphic loops (one per layout) keep the hot path tight; training visits samples in random order,
// so each update is a cache miss and the loop body must leave the CPU free to overlap them.
function updateMean(data: Float32Array, ids: ArrayLike<number>, losses: ArrayLike<number>, decay: number): void {
  const a = 1 - decay;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const x = losses[i]!;
    const m = data[id]!;
    data[id] = m === m ? m + a * (x - m) : x;
  }
}

function updateMeanVariance(
  data: Float32Array,
  ids: ArrayLike<number>,
  losses: ArrayLike<number>,
  decay: number,
): void {
  const a = 1 - decay;
  for (let i = 0; i < ids.length; i++) {
    const j = ids[i]! * 2;
    const x = losses[i]!;
    const m = data[j]!;
    if (m === m) {
      const delta = x - m;
      data[j] = m + a * delta;
      data[j + 1] = decay * (data[j + 1]! + a * delta * delta);
    } else {
      data[j] = x;
      data[j + 1] = 0;
    }
  }
}

/** The EMA means (NaN = never observed), written into `out` when given. */
export function emaMeans(state: LossEma, out: Float32Array = new Float32Array(state.size)): Float32Array {
  const { data, stride, size } = state;
  if (stride === 1) out.set(data);
  else for (let i = 0; i < size; i++) out[i] = data[2 * i]!;
  return out;
}

/** The EMA variances (0 for never-observed samples), or null when the state keeps none. */
export function emaVariances(state: LossEma, out: Float32Array = new Float32Array(state.size)): Float32Array | null {
  if (state.stride === 1) return null;
  const { data, size } = state;
  for (let i = 0; i < size; i++) out[i] = data[2 * i + 1]!;
  return out;
}

/** Whether sample `id` has been observed. */
export function isObserved(state: LossEma, id: number): boolean {
  const m = state.data[id * state.stride]!;
  return m === m;
}
