import { PrunerError } from './errors.js';
import type { Json } from './types.js';

/**
 * Checks of what a caller hands back to the Pruner: option objects and saved states are refused when they hold a field
 * the Pruner does not know (a misspelt option would otherwise do nothing, an edited state load half-checked), or
 * statistics that contradict the rest of the state.
 */

/** The fields of `Pruner.select`'s shard options, of a saved state and of its `current` selection. */
export const SHARD_KEYS = ['rank', 'worldSize', 'dropLast'] as const;
export const STATE_KEYS = ['version', 'fingerprint', 'observed', 'policy', 'sampler', 'current'] as const;
export const CURRENT_KEYS = ['epoch', 'count', 'indices', 'weights'] as const;

/** Refuse an own field of `value` that is not in `keys`, naming it (`field.key`) and the known ones. */
export function checkKnownKeys(field: string, value: object, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new PrunerError(
        `${field}.${key}`,
        (value as Record<string, unknown>)[key],
        `no such field (${field} has ${keys.join(', ')})`,
      );
  }
}

const isPlainObject = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A saved policy state has the fields of the state the policy writes (`template`: a fresh instance's state()),
 * no more and no fewer, in nested objects too: so every policy's load() sees only fields it validates.
 */
export function checkStateFields(field: string, saved: Json, template: Json): void {
  if (!isPlainObject(template) || !isPlainObject(saved)) return; // null, arrays, scalars: the policy's load() checks them
  const keys = Object.keys(template);
  checkKnownKeys(field, saved, keys);
  for (const key of keys) {
    if (!Object.hasOwn(saved, key))
      throw new PrunerError(`${field}.${key}`, undefined, `a field of the policy's state (it has ${keys.join(', ')})`);
    checkStateFields(`${field}.${key}`, saved[key]!, template[key]!);
  }
}

/**
 * The statistics a state restores may not describe more samples than the losses it says were observed: `fresh` and
 * `loaded` are the policy's scores (NaN = never observed) before and after the load; a sample whose score the load
 * turned from NaN into a number was observed. (Scores that do not come from observations, such as a static policy's,
 * are numbers in `fresh` too and are not counted.) With no losses observed, no sample may have statistics.
 */
export function checkObservedCount(fresh: Float32Array | null, loaded: Float32Array | null, observed: number): void {
  if (!fresh || !loaded) return;
  let seen = 0;
  let first = -1;
  for (let i = 0; i < fresh.length; i++) {
    const f = fresh[i]!;
    const l = loaded[i]!;
    if (f !== f && l === l) {
      seen++;
      if (first < 0) first = i;
    }
  }
  if (seen > observed) {
    throw new PrunerError(
      'state.observed',
      observed,
      `at least ${seen}: the policy's statistics hold losses of ${seen} samples (the first is sample ${first}), so at least that many losses were observed`,
    );
  }
  if (observed > 0 && seen === 0 && fresh.some((f) => f !== f)) {
    throw new PrunerError(
      'state.observed',
      observed,
      "0: the policy's statistics hold no sample's loss, so none was observed",
    );
  }
}
