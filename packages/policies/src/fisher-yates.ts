import { bounded, LEMIRE_MAX } from './bounded.js';
import type { Rng } from './rng.js';

/**
 * The Fisher-Yates kernels behind Rng.partialShuffle (and so every shuffle of a selection) for the arrays selections
 * use: ids in a Uint32Array, optionally loss weights in an aligned Float32Array. They make exactly the swaps of the
 * textbook loop (for i = start .. start + count - 1: j = i + bounded(draw, end - i); swap a[i], a[j]; the same swap on
 * b), consuming the same draws in the same order; they differ from it only in speed:
 *  - the swap targets of a block of up to 4,096 steps are computed first (one fill() of the block, then Lemire's
 *    multiply-shift inlined, with bounded() called only on its rare rejection path or for ranges above 2^21), then
 *    the block's swaps run with no generator in the loop, so more of their random reads are in flight at once;
 *  - one monomorphic loop per array layout (ids only; ids and weights; any other arrays), so V8 compiles each for
 *    typed-array accesses of one kind. One shared generic loop runs as fast only while a process has shuffled a
 *    single layout; a weighted policy shuffles both every epoch (its pool or subset draw without weights, the epoch
 *    order with them), after which the generic loop measured 1.25x (4 x 10^5 ids and weights) to 2.3x (10^6 ids)
 *    slower than these, interleaved in one process.
 */

/** What Rng.shuffle accepts: any indexable array of numbers (typed arrays in the hot paths). */
type Numbers = { [i: number]: number };

const TWO_32 = 4294967296;
const INV_32 = 1 / TWO_32;
/** Steps per block of precomputed swap targets. */
export const FY_BLOCK = 4096;

/**
 * Replace block[0, m) (just filled with uniform uint32 draws by the caller's fill()) with the swap targets of
 * Fisher-Yates steps i0 .. i0 + m - 1 over a range ending at `end`: target q = i + bounded(block[q], end - i).
 */
export function swapTargets(rng: Rng, block: Uint32Array, i0: number, m: number, end: number): void {
  for (let q = 0; q < m; q++) {
    const i = i0 + q;
    const n = end - i;
    const x = block[q]!;
    const hi = Math.floor(x * n * INV_32);
    // Lemire's method accepts at once unless the low word of x * n is below n (about one step in 2^32 / n).
    block[q] = i + (n <= LEMIRE_MAX && x * n - hi * TWO_32 >= n ? hi : bounded(x, n, rng));
  }
}

/** Partial Fisher-Yates of a[start, end), `count` steps (see Rng.partialShuffle); the same swaps on `b` when given. */
export function partialFisherYates(
  rng: Rng,
  a: Numbers,
  b: Numbers | null,
  start: number,
  end: number,
  count: number,
): void {
  const block = new Uint32Array(Math.min(FY_BLOCK, Math.max(count, 1)));
  const stopAt = start + count;
  const ids = a instanceof Uint32Array ? a : null;
  const weights = b instanceof Float32Array ? b : null;
  for (let i0 = start; i0 < stopAt; i0 += block.length) {
    rng.fill(block);
    const m = Math.min(block.length, stopAt - i0);
    swapTargets(rng, block, i0, m, end);
    if (ids !== null && b === null) swapIds(ids, block, i0, m);
    else if (ids !== null && weights !== null) swapIdsAndWeights(ids, weights, block, i0, m);
    else swapAny(a, b, block, i0, m);
  }
}

/** a[i0 + q] <-> a[targets[q]] for q in [0, m), in order. */
function swapIds(a: Uint32Array, targets: Uint32Array, i0: number, m: number): void {
  for (let q = 0; q < m; q++) {
    const i = i0 + q;
    const j = targets[q]!;
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** swapIds on ids and weights together. */
function swapIdsAndWeights(a: Uint32Array, b: Float32Array, targets: Uint32Array, i0: number, m: number): void {
  for (let q = 0; q < m; q++) {
    const i = i0 + q;
    const j = targets[q]!;
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
    const u = b[i]!;
    b[i] = b[j]!;
    b[j] = u;
  }
}

/** swapIds for any arrays (the same swaps on `b` when given). */
function swapAny(a: Numbers, b: Numbers | null, targets: Uint32Array, i0: number, m: number): void {
  for (let q = 0; q < m; q++) {
    const i = i0 + q;
    const j = targets[q]!;
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
