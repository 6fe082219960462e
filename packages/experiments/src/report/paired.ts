import { tQuantile975 } from './t-quantile.js';

/**
 * The difference between two methods paired by seed: for each seed both methods ran, d = a − b; the mean of the d's
 * with a 95% Student t confidence interval, mean ± t_{0.975, n−1} · sd/√n (sd: the sample standard deviation of the
 * d's, n − 1). Pairing removes what the two runs of one seed share (the initial weights, the order of the data), so
 * the interval is narrower than one from the two methods' unpaired spreads whenever their runs of a seed are
 * correlated.
 */
export interface PairedDifference {
  /** Seeds both methods ran (the pairs), ascending. */
  seeds: number[];
  /** Mean of a − b over the pairs. */
  mean: number;
  /** Sample standard deviation of the differences (n − 1); NaN for one pair. */
  sd: number;
  /** Half-width of the 95% interval, t_{0.975, n−1} · sd/√n; undefined for one pair (no interval). */
  halfWidth?: number;
  /** The 95% interval [mean − halfWidth, mean + halfWidth]; undefined for one pair. */
  interval?: [number, number];
}

/**
 * a − b paired by seed (maps from seed to a value, e.g. final test accuracy); only seeds present in both pair.
 * Undefined when no seed pairs.
 */
export function pairedDifference(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): PairedDifference | undefined {
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  const n = seeds.length;
  if (!n) return undefined;
  const d = seeds.map((s) => a.get(s)! - b.get(s)!);
  const mean = d.reduce((x, y) => x + y, 0) / n;
  if (n < 2) return { seeds, mean, sd: Number.NaN };
  const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1));
  const halfWidth = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { seeds, mean, sd, halfWidth, interval: [mean - halfWidth, mean + halfWidth] };
}

/**
 * The fewest seeds whose 95% interval has a half-width of at most `target`, for differences with standard deviation
 * `sd` (t_{0.975, n−1} · sd/√n ≤ target); undefined if more than `max` would be needed or sd is not a number.
 */
export function seedsToResolve(sd: number, target: number, max = 1000): number | undefined {
  if (!Number.isFinite(sd) || !(target > 0)) return undefined;
  for (let n = 2; n <= max; n++) if ((tQuantile975(n - 1) * sd) / Math.sqrt(n) <= target) return n;
  return undefined;
}
