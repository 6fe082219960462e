import { GOLDEN_GAMMA, mix32 } from './mix32.js';
import type { Uint32Source } from './source.js';

/** The whole state of a xoshiro128** generator: four uint32s. */
export type Xoshiro128State = [number, number, number, number];

const TWO_32 = 4294967296;

/**
 * xoshiro128** (Blackman & Vigna 2018): four uint32s of state; the family's generator of selections. An integer seed
 * is expanded with splitmix32 from both of its 32-bit words, so nearby seeds (including negative ones) give unrelated
 * streams; a saved state continues its stream. The caller validates seeds (safe integers) and states.
 */
export class Xoshiro128 implements Uint32Source {
  /** Four 32-bit words (int32 storage: typed-array fields never box). */
  private readonly s = new Int32Array(4);

  constructor(seed: number | Xoshiro128State) {
    const s = this.s;
    if (Array.isArray(seed)) {
      for (let i = 0; i < 4; i++) s[i] = seed[i]! | 0;
    } else {
      // Both 32-bit words of the seed (two's complement) feed the state, so seeds that differ only in the high word
      // (0, -1, 2^32 + 1, ...) give unrelated streams; seeds in [0, 2^32) keep the plain splitmix32 expansion.
      let x = seed >>> 0;
      let y = Math.floor(seed / TWO_32) >>> 0;
      const high = y !== 0;
      for (let i = 0; i < 4; i++) {
        x = (x + GOLDEN_GAMMA) >>> 0;
        y = (y + 0x7f4a7c15) >>> 0;
        s[i] = (high ? mix32(x) ^ mix32(y) : mix32(x)) | 0;
      }
    }
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  }

  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /**
   * Fill `out` with the next out.length uint32s of the stream (the same values nextUint32() would return, in
   * order), with the state held in locals: the fast path for loops that need many draws.
   */
  fill(out: Uint32Array): Uint32Array {
    const s = this.s;
    let s0 = s[0]!;
    let s1 = s[1]!;
    let s2 = s[2]!;
    let s3 = s[3]!;
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9);
      s2 ^= s0;
      s3 ^= s1;
      const t = s1 << 9;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** The whole state: `new Xoshiro128(g.state())` continues g's stream. */
  state(): Xoshiro128State {
    const s = this.s;
    return [s[0]! >>> 0, s[1]! >>> 0, s[2]! >>> 0, s[3]! >>> 0];
  }
}
