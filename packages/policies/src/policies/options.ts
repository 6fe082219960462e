import { checkNumber, orDefault, PrunerError } from '../errors.js';

/** Default EMA decay d of the loss scores (see ema.ts and the epsilon-greedy / ucb cards for the choice). */
export const DEFAULT_DECAY = 0.9;

/** The `decay` option shared by the EMA-scored policies: a number in [0, 1); 0 scores by the last loss alone. */
export function parseDecay(raw: Record<string, unknown>): number {
  return checkNumber('decay', orDefault(raw.decay, DEFAULT_DECAY), 0, 1, { maxOpen: true });
}

/** A string option with a fixed set of values: `fallback` when left out; anything else throws naming the field. */
export function parseChoice<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  const v = orDefault(value, fallback);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new PrunerError(field, v, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return v as T;
}
