import { decodeFloat32 } from '../codec.js';
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
export function loadScores(field: string, value: Json, n: number, { nanAllowed = true, min = -Infinity } = {}): Float32Array {
  const a = decodeFloat32(field, value, n);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if (x !== x ? !nanAllowed : !(x >= min && x < Infinity)) {
      throw new PrunerError(`${field}[${i}]`, x, `a finite number${min > -Infinity ? ` >= ${min}` : ''}${nanAllowed ? ' or NaN (unobserved)' : ''}`);
    }
  }
  return a;
}

/** For policies without statistics: the saved state must be null. */
export function checkNullState(policy: string, state: Json): void {
  if (state !== null) throw new PrunerError('state.policy', state, `null (the '${policy}' policy keeps no statistics)`);
}
