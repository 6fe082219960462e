/**
 * Seeded randomness for augmentation and shuffling. Every batch gets its own generator derived from
 * (seed, epoch, batch index), so any batch can be recomputed on its own: a resumed run, a worker thread and
 * the main thread all draw exactly the same crops and flips.
 */

/** splitmix32 finaliser: a bijective avalanche mix of a uint32. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit seed combining `parts` (integers; each mixed in turn so nearby tuples give unrelated seeds). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x243f6a88;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = mix32(h ^ lo);
    h = mix32(h ^ hi);
  }
  return h;
}

/** Stream ids so the shuffle and the augmentation of one epoch never share draws. */
export const STREAM_AUGMENT = 1;
export const STREAM_SHUFFLE = 2;
/** Stream id of the validation split (validation.ts): independent of every epoch's draws. */
export const STREAM_VALIDATION = 3;

/** mulberry32-style generator over one uint32 of state: tiny, fast, good enough for crops and flips. */
export class BatchRng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Generator of batch `batch` of `epoch` in a run seeded by `seed`. */
  static forBatch(seed: number, epoch: number, batch: number, stream = STREAM_AUGMENT): BatchRng {
    return new BatchRng(deriveSeed(seed, stream, epoch, batch));
  }

  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), n >= 1, without modulo bias. */
  int(n: number): number {
    if (n <= 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }
}
