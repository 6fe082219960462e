import { checkInt } from '../errors.js';
import { createLossEma, emaMeans, emaVariances, updateLossEma, type LossEma } from '@dp/policies';
import type { TypedArray } from '../encode.js';
import { ArrayTracker } from '../tracker.js';
import type { ResolvedBatch, Score, ScoreInput } from '../types.js';
import { EMA_OPTION_NAMES, parseEmaOptions, type EmaOptions } from './ema-options.js';

/**
 * Tracker of an EMA of a per-row loss and of its squared deviation. `rowLoss` picks the number folded in for
 * row i: the sample's own loss (`loss-ema`) or the batch's mean loss (`batch-loss`).
 */
export class EmaTracker extends ArrayTracker {
  private readonly ema: LossEma;
  private scratch = new Float32Array(0);

  constructor(
    score: string,
    inputs: readonly ScoreInput[],
    datasetSize: number,
    private readonly opts: EmaOptions,
    private readonly rowLoss: (b: ResolvedBatch, row: number) => number,
  ) {
    // The EMA maths is @dp/policies' (the one implementation ε-greedy and UCB use): mean NaN = never observed.
    const ema = createLossEma(checkInt('datasetSize', datasetSize, 1, 2 ** 32 - 1));
    super(score, inputs, datasetSize, { decay: opts.decay, stdWeight: opts.stdWeight }, { ema: ema.data });
    this.ema = ema;
  }

  protected apply(b: ResolvedBatch): void {
    if (this.scratch.length < b.n) this.scratch = new Float32Array(b.n);
    const x = this.scratch;
    for (let i = 0; i < b.n; i++) x[i] = this.rowLoss(b, i);
    updateLossEma(this.ema, b.ids, x.subarray(0, b.n), this.opts.decay);
  }

  /** Means are finite or NaN (never observed); variances finite and >= 0. */
  protected override checkLoaded(key: string, a: TypedArray): string | undefined {
    if (key !== 'ema') return super.checkLoaded(key, a);
    for (let i = 0; i < a.length; i += 2) {
      const m = a[i]!;
      const v = a[i + 1]!;
      if (m === Infinity || m === -Infinity)
        return `array 'ema' holds mean ${m} for sample ${i / 2}: expected a finite number or NaN (never observed)`;
      if (!(v >= 0 && v < Infinity))
        return `array 'ema' holds variance ${v} for sample ${i / 2}: expected a finite number >= 0`;
    }
    return undefined;
  }

  /** mean + stdWeight * sqrt(variance); samples never seen score 0. */
  values(): Float32Array {
    const out = emaMeans(this.ema); // NaN = never observed
    const variance = emaVariances(this.ema)!;
    const c = this.opts.stdWeight;
    for (let i = 0; i < out.length; i++) {
      const m = out[i]!;
      out[i] = m === m ? m + c * Math.sqrt(variance[i]!) : 0;
    }
    return out;
  }

  /** The EMA of the squared deviation (a fresh array; 0 for samples never seen). */
  variance(): Float32Array {
    return emaVariances(this.ema)!;
  }
}

/**
 * `loss-ema`: exponential moving average of each sample's loss and of its squared deviation (see loss-ema.ts),
 * what @dp/policies ε-greedy (mean) and UCB (mean + c·std) rank by.
 */
export const lossEma: Score = {
  name: 'loss-ema',
  summary: 'EMA of the per-sample loss (+ stdWeight x EMA std: the UCB rank)',
  inputs: ['losses'],
  optionNames: EMA_OPTION_NAMES,
  create(datasetSize, options) {
    return new EmaTracker(
      'loss-ema',
      ['losses'],
      datasetSize,
      parseEmaOptions('loss-ema', options),
      (b, i) => b.losses![i]!,
    );
  },
};
