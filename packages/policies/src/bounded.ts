const TWO_32 = 4294967296;
const INV_32 = 1 / TWO_32;
/** Bounded ints use Lemire's multiply-shift (exact in float64 while n * 2^32 <= 2^53). */
export const LEMIRE_MAX = 2 ** 21;

/**
 * Map the uniform uint32 `x` to a uniform integer in [0, n), n >= 1, drawing more from `rng` only when rejected.
 * n <= 2^21: Lemire (2019), "Fast random integer generation in an interval" (x * n < 2^53 is exact in float64);
 * larger n: classic modulo rejection.
 */
export function bounded(x: number, n: number, rng: { nextUint32(): number }): number {
  if (n <= LEMIRE_MAX) {
    let m = x * n;
    let hi = Math.floor(m * INV_32);
    let low = m - hi * TWO_32;
    if (low < n) {
      const threshold = (TWO_32 - n) % n;
      while (low < threshold) {
        m = rng.nextUint32() * n;
        hi = Math.floor(m * INV_32);
        low = m - hi * TWO_32;
      }
    }
    return hi;
  }
  const limit = TWO_32 - (TWO_32 % n);
  while (x >= limit) x = rng.nextUint32();
  return x % n;
}
