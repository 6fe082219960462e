/**
 * floor(ratio * n) for the sample counts every card defines (pruned share, greedy share). The product is computed
 * in float64, and a product within a relative 1e-9 of an integer counts as that integer, so that for example
 * 0.29 * 100 prunes 29 samples (float64 alone gives 28.999999999999996 and would prune 28).
 */
export function floorOf(ratio: number, n: number): number {
  const x = ratio * n;
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= 1e-9 * Math.max(1, Math.abs(x)) ? nearest : Math.floor(x);
}

/** k = N - floor(pruneRatio * N): the samples a fixed-size policy keeps (>= 1 for pruneRatio < 1). */
export function keepCount(pruneRatio: number, n: number): number {
  return Math.max(1, n - floorOf(pruneRatio, n));
}
