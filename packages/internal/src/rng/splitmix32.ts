import { GOLDEN_GAMMA, mix32 } from './mix32.js';
import type { Uint32Source } from './source.js';

/**
 * splitmix32: draw k of seed s is mix32(s + k * GOLDEN_GAMMA). The family's generator of derived seeds (one per weight
 * initialiser), and the seed expansion of xoshiro128**.
 */
export class SplitMix32 implements Uint32Source {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  nextUint32(): number {
    this.s = (this.s + GOLDEN_GAMMA) >>> 0;
    return mix32(this.s);
  }

  /** The whole state: `new SplitMix32(g.state())` continues g's stream. */
  state(): number {
    return this.s;
  }
}
