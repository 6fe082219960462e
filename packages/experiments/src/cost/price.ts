/**
 * A run's training cost priced at one machine speed: the pure maths of `dp report --cost-model`.
 *
 * A run records the wall-clock seconds of its training (training step, data loading, selection, scoring; evaluation
 * and checkpoint writes excluded: trainer.ts), at whatever speed the machine had while it ran. Priced instead with
 * constants measured once, quietly, in one process (`dp probe-cost`), every run's cost depends only on what it did:
 *
 *   cost = first + Σ_e [ epoch + select + (sample + observe) · samples_e ]
 *
 * with samples_e the samples the run really trained in epoch e (its results line's `epochs[].samples`, so an
 * equal-steps run counts the epochs it trained), `sample` the seconds per trained sample (step + data loading),
 * `epoch` the seconds per epoch that do not grow with its samples (the loader's first batch, the epoch's start),
 * `first` the one-off extra of a run's first epoch (compiling the step), and `select` / `observe` the method's own
 * selection seconds per epoch and scoring seconds per observed sample.
 */

/** The protocol's constants, in seconds at the probe's machine speed. */
export interface PriceConstants {
  /** Per trained sample: the training step and data loading. */
  sample: number;
  /** Per epoch, whatever its number of samples. */
  epoch: number;
  /** Once per run: the first epoch's extra (compiling the training step). */
  first: number;
}

/** A method's own costs, in seconds at the probe's machine speed. */
export interface MethodPrice {
  /** The policy's `select` per epoch. */
  selectPerEpoch: number;
  /** The policy's `observe` per trained sample. */
  observePerSample: number;
}

/** A method that costs nothing of its own (full data). */
export const FREE_METHOD: MethodPrice = { selectPerEpoch: 0, observePerSample: 0 };

/** The priced training seconds of a run that trained `samples[e]` samples in its epoch e (0 epochs: 0 seconds). */
export function priceEpochs(samples: readonly number[], c: PriceConstants, m: MethodPrice = FREE_METHOD): number {
  if (!samples.length) return 0;
  let total = c.first;
  for (const s of samples) total += c.epoch + m.selectPerEpoch + (c.sample + m.observePerSample) * s;
  return total;
}
