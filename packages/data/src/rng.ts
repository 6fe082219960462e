/**
 * Seeded randomness for augmentation and shuffling. Every batch gets its own generator derived from
 * (seed, epoch, batch index), so any batch can be recomputed on its own: a resumed run, a worker thread and
 * the main thread all draw exactly the same crops and flips. The generator is mulberry32 of the dp RNG family
 * (@dp/internal/rng), kept for its stream: committed runs depend on these exact draws.
 */
import { deriveSeed } from '@dp/internal/rng/mix32';
import { Mulberry32 } from '@dp/internal/rng/mulberry32';
import { moduloInt, uniformFloat } from '@dp/internal/rng/source';

export { deriveSeed } from '@dp/internal/rng/mix32';

/** Stream ids so the shuffle and the augmentation of one epoch never share draws. */
export const STREAM_AUGMENT = 1;
export const STREAM_SHUFFLE = 2;
/** Stream id of the validation split (validation.ts): independent of every epoch's draws. */
export const STREAM_VALIDATION = 3;

/** mulberry32 over one uint32 of state: tiny, fast, good enough for crops and flips. */
export class BatchRng extends Mulberry32 {
  /** Generator of batch `batch` of `epoch` in a run seeded by `seed`. */
  static forBatch(seed: number, epoch: number, batch: number, stream = STREAM_AUGMENT): BatchRng {
    return new BatchRng(deriveSeed(seed, stream, epoch, batch));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat(this);
  }

  /** Uniform integer in [0, n), n >= 1, without modulo bias. */
  int(n: number): number {
    return moduloInt(this, n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }
}
