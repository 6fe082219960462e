import { checkNumber, orDefault } from '../errors.js';

/** Default EMA decay d of the loss scores (see ema.ts and the epsilon-greedy / ucb cards for the choice). */
export const DEFAULT_DECAY = 0.9;

/** The `decay` option shared by the EMA-scored policies: a number in [0, 1); 0 scores by the last loss alone. */
export function parseDecay(raw: Record<string, unknown>): number {
  return checkNumber('decay', orDefault(raw.decay, DEFAULT_DECAY), 0, 1, { maxOpen: true });
}
