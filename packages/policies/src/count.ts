import { checkInt, checkNumber } from './errors.js';

/**
 * Integer counts from ratio * n, for the sample counts every card defines (pruned share, greedy share) and the
 * epochs InfoBatch anneals. The product is computed in float64, and a product within a few ulps of an integer
 * (4 ε relative: the rounding of a decimal ratio plus that of the product) counts as that integer, so that for example
 * 0.29 * 100 prunes 29 samples (float64 alone gives 28.999999999999996 and would prune 28), while a product that is
 * really fractional, however large n is, is never moved to the next integer.
 */
const SNAP = 4 * Number.EPSILON;

function snapped(x: number): number | undefined {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= SNAP * Math.max(1, Math.abs(x)) ? nearest : undefined;
}

/** floor(ratio * n), snapped as above. */
export function floorOf(ratio: number, n: number): number {
  const x = ratio * n;
  return snapped(x) ?? Math.floor(x);
}

/** ceil(ratio * n), snapped as above: the first integer >= ratio * n. */
export function ceilOf(ratio: number, n: number): number {
  const x = ratio * n;
  return snapped(x) ?? Math.ceil(x);
}

/** k = N - floor(pruneRatio * N): the samples a fixed-size policy keeps (>= 1 for pruneRatio < 1). */
export function keepCount(pruneRatio: number, n: number): number {
  checkNumber('pruneRatio', pruneRatio, 0, 1, { maxOpen: true });
  checkInt('n', n, 1);
  return Math.max(1, n - floorOf(pruneRatio, n));
}
