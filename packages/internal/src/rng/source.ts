/**
 * The RNG family of the dp packages: named generators (xoshiro128** for selections, mulberry32 for batch draws,
 * splitmix32 for initialiser seeds), each a stream of uint32s whose whole state is a few uint32s (so it serialises to
 * JSON and a restored generator continues the same stream), all integer arithmetic (the same stream on every engine).
 * Each generator keeps its algorithm because committed results depend on its exact stream.
 */
export interface Uint32Source {
  /** Next uniformly distributed uint32. */
  nextUint32(): number;
}

const TWO_32 = 4294967296;

/** Uniform float in [0, 1) with 32 bits of randomness (a multiple of 2^-32). */
export function uniformFloat(src: Uint32Source): number {
  return src.nextUint32() / TWO_32;
}

/** Uniform integer in [0, n), 1 <= n <= 2^32, exactly unbiased by modulo rejection (n <= 1 gives 0, drawing nothing). */
export function moduloInt(src: Uint32Source, n: number): number {
  if (n <= 1) return 0;
  const limit = TWO_32 - (TWO_32 % n);
  let x = src.nextUint32();
  while (x >= limit) x = src.nextUint32();
  return x % n;
}
