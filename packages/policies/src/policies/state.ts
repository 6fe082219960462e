import { decodeFloat32, encodeTyped } from '../codec.js';
import { emaMeans, emaVariances, type LossEma } from '../ema.js';
import { PrunerError } from '../errors.js';
import type { Json } from '../types.js';

/** Check that a policy's saved state is an object with the given keys; returns it typed. */
export function stateObject(policy: string, state: Json, keys: readonly string[]): Record<string, Json> {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || keys.some((k) => !(k in state))) {
    throw new PrunerError('state.policy', state, `the '${policy}' policy's state: an object with ${keys.join(', ')}`);
  }
  return state;
}

/** Decode a per-sample float array; every entry must be finite (or NaN = unobserved when `nanAllowed`) and >= min. */
export function loadScores(
  field: string,
  value: Json,
  n: number,
  { nanAllowed = true, min = -Infinity } = {},
): Float32Array {
  const a = decodeFloat32(field, value, n);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if (x !== x ? !nanAllowed : !(x >= min && x < Infinity)) {
      throw new PrunerError(
        `${field}[${i}]`,
        x,
        `a finite number${min > -Infinity ? ` >= ${min}` : ''}${nanAllowed ? ' or NaN (unobserved)' : ''}`,
      );
    }
  }
  return a;
}

/** For policies without statistics: the saved state must be null. */
export function checkNullState(policy: string, state: Json): void {
  if (state !== null) throw new PrunerError('state.policy', state, `null (the '${policy}' policy keeps no statistics)`);
}

/** The saved state of a mean-and-variance loss EMA (`ucb`, `importance`): both arrays, base64. */
export function meanVarianceState(ema: LossEma): Json {
  return { mean: encodeTyped(emaMeans(ema)), variance: encodeTyped(emaVariances(ema)!) };
}

/** Restore a mean-and-variance loss EMA saved by meanVarianceState, validating it fully first. */
export function loadMeanVariance(policy: string, state: Json, n: number): LossEma {
  const s = stateObject(policy, state, ['mean', 'variance']);
  const mean = loadScores('state.policy.mean', s.mean!, n);
  const variance = loadScores('state.policy.variance', s.variance!, n, { nanAllowed: false, min: 0 });
  const data = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    // A never-observed sample (mean NaN) has variance 0, as the EMA leaves it: anything else is an edited state.
    if (mean[i] !== mean[i] && variance[i] !== 0)
      throw new PrunerError(
        `state.policy.mean[${i}]`,
        mean[i],
        `a finite number (the sample has variance ${variance[i]}, so it was observed)`,
      );
    data[2 * i] = mean[i]!;
    data[2 * i + 1] = variance[i]!;
  }
  return { size: n, stride: 2, data };
}
