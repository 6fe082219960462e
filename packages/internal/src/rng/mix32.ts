/** The golden-ratio increment of splitmix32 (2^32 / phi): the step of every counter-based stream of the family. */
export const GOLDEN_GAMMA = 0x9e3779b9;

/** A 32-bit finaliser (murmur3 fmix32): a bijection on uint32 with good avalanche. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** One splitmix32 output for the counter value `x`: mix32(x + GOLDEN_GAMMA). */
export function splitmix32(x: number): number {
  return mix32((x + GOLDEN_GAMMA) >>> 0);
}

/** A 32-bit seed combining `parts` (integers, both 32-bit words of each; nearby tuples give unrelated seeds). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x243f6a88;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = splitmix32(h ^ lo);
    h = splitmix32(h ^ hi);
  }
  return h;
}
