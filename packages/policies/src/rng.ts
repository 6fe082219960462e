/**
 * The selections' generator: xoshiro128** of the dp RNG family (whose whole state is four uint32s, so it serialises
 * to JSON and a restored generator continues the same stream), with validated seeds (safe integers; others throw a
 * PrunerError) and the bounded draws and shuffles the policies use. Only integer arithmetic (Math.imul, shifts) is
 * used, so every JavaScript engine produces the same stream.
 */
import { mix32 } from '@dp/internal/rng/mix32';
import { Xoshiro128, type Xoshiro128State } from '@dp/internal/rng/xoshiro128';
import { bounded } from './bounded.js';
import { checkInt, PrunerError } from './errors.js';
import { partialFisherYates } from './fisher-yates.js';

export { mix32 } from '@dp/internal/rng/mix32';
export { bounded } from './bounded.js';

export type RngState = Xoshiro128State;

const TWO_32 = 4294967296;

export class Rng extends Xoshiro128 {
  constructor(seed: number | RngState) {
    if (!Array.isArray(seed) && !Number.isSafeInteger(seed)) {
      throw new PrunerError(
        'seed',
        seed,
        'a safe integer (or a saved RngState)',
        'pass an integer seed in [-(2^53 - 1), 2^53 - 1], or the state() of a generator',
      );
    }
    super(seed);
  }

  /** Uniform float in [0, 1) with 32 bits of randomness (a multiple of 2^-32). */
  nextFloat(): number {
    return this.nextUint32() / TWO_32;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32, exactly unbiased (rejection sampling). */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_32)) throw new PrunerError('n', n, 'an integer in [1, 4294967296]');
    return n === 1 ? 0 : bounded(this.nextUint32(), n, this);
  }

  /**
   * Fisher-Yates shuffle of a[0, length) in place (exactly uniform). Draws come in blocks from fill(), so a
   * shuffle consumes a deterministic but unspecified number of draws.
   */
  shuffle<T extends { length: number; [i: number]: number }>(a: T, length = a.length): T {
    this.partialShuffle(a, 0, length, length - 1, null);
    return a;
  }

  /** Fisher-Yates shuffle of `a` in place, applying the same swaps to the aligned array `b` when given. */
  shufflePaired(a: { length: number; [i: number]: number }, b: { [i: number]: number } | null): void {
    this.partialShuffle(a, 0, a.length, a.length - 1, b);
  }

  /**
   * Partial Fisher-Yates: move `count` entries drawn uniformly without replacement from a[start, end) to
   * a[start, start + count), in the order drawn (applying the same swaps to `b` when given).
   */
  partialShuffle(
    a: { [i: number]: number },
    start: number,
    end: number,
    count: number,
    b: { [i: number]: number } | null = null,
  ): void {
    partialFisherYates(this, a, b, start, end, count);
  }

  /**
   * Fisher-Yates shuffle of a[start, end), 2 <= end - start <= 65536 (same swaps on `b` when given), drawing two
   * 16-bit numbers from each uint32 of `block` refills: bounded integers by Lemire's method on 16-bit words,
   * exactly unbiased (rejection when the low half falls below (2^16 - n) mod n). For the buckets of
   * shuffledCopy; `block` is caller-provided scratch (its contents are overwritten).
   */
  shuffleRange16(a: Uint32Array, b: Float32Array | null, start: number, end: number, block: Uint32Array): void {
    let p = block.length;
    let spare = -1; // the unused upper half of the last word, or -1
    for (let i = start; i < end - 1; i++) {
      const n = end - i;
      let j: number;
      for (;;) {
        let h: number;
        if (spare >= 0) {
          h = spare;
          spare = -1;
        } else {
          if (p === block.length) {
            this.fill(block);
            p = 0;
          }
          const word = block[p++]!;
          h = word & 0xffff;
          spare = word >>> 16;
        }
        const m = h * n;
        const low = m & 0xffff;
        if (low >= n || low >= (65536 - n) % n) {
          j = i + (m >>> 16);
          break;
        }
      }
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      if (b !== null) {
        const u = b[i]!;
        b[i] = b[j]!;
        b[j] = u;
      }
    }
  }
}

/** The sign bit as an int32: `(x ^ SIGN)` maps uint32 order onto int32 order. */
export const SIGN = 0x80000000 | 0;

/**
 * The int32 bound for testing uint32 draws against an integer threshold t in [1, 2^32]: for a draw x read through an
 * Int32Array view as xi, x < t (unsigned) iff (xi ^ SIGN) <= signedBelow(t) (signed). Equivalent to the unsigned
 * test bit for bit, but all-int32: V8 compares a uint32 of 2^31 or more with a number threshold through float64,
 * which makes the marking loops of select.ts and seta.ts about 25% slower.
 */
export function signedBelow(t: number): number {
  return (t - 1 - 2147483648) | 0;
}

/**
 * The generator for one (seed, epoch, stream) triple: a hash chain over the three, so select() is a pure
 * function of the config, the epoch and the observations, identical across processes.
 */
export function streamRng(seed: number, epoch: number, stream: number): Rng {
  checkInt('seed', seed, -Number.MAX_SAFE_INTEGER);
  checkInt('epoch', epoch, 0, 2 ** 32 - 1);
  checkInt('stream', stream, 0, 2 ** 32 - 1);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) >>> 0;
  let h = mix32(lo ^ 0x243f6a88);
  h = mix32(h ^ hi ^ 0x85a308d3);
  h = mix32(h ^ (epoch >>> 0) ^ 0x13198a2e);
  h = mix32(h ^ (stream >>> 0) ^ 0x03707344);
  const s: RngState = [h, mix32(h ^ 0xa4093822), mix32(h ^ 0x299f31d0), mix32(h ^ 0x082efa98)];
  return new Rng(s);
}
