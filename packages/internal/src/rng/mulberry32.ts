import type { Uint32Source } from './source.js';

/** mulberry32 (Tommy Ettinger): one uint32 of state, tiny and fast; the family's generator of per-batch draws. */
export class Mulberry32 implements Uint32Source {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The whole state: `new Mulberry32(g.state())` continues g's stream. */
  state(): number {
    return this.s;
  }
}
