import { checkNumber } from '../errors.js';
import { readOptions } from '../options.js';

/** Options of the EMA scores (`loss-ema`, `batch-loss`). */
export interface EmaOptions {
  /** EMA decay d in [0, 1): weight of the old value (0 = last value only). Default 0.9. */
  decay: number;
  /** c >= 0: values() = mean + c * sqrt(variance) (the UCB rank). Default 0 (the mean: the ε-greedy rank). */
  stdWeight: number;
}

export const EMA_OPTION_NAMES = ['decay', 'stdWeight'] as const;

export function parseEmaOptions(name: string, raw: unknown): EmaOptions {
  const o = readOptions(name, EMA_OPTION_NAMES, raw);
  // Only a left-out option takes its default (null is validated, and rejected).
  return {
    decay: checkNumber('decay', o.decay === undefined ? 0.9 : o.decay, 0, 1, { maxOpen: true }),
    stdWeight: checkNumber('stdWeight', o.stdWeight === undefined ? 0 : o.stdWeight, 0, 1e6),
  };
}
