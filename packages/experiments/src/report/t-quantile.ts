/**
 * The 0.975 quantile of Student's t distribution, t_{0.975, df}: the multiplier of sd/√n in a two-sided 95%
 * confidence interval for a mean of n = df + 1 values.
 */

/** t_{0.975, df} for df = 1..30 (exact to 9 decimals, as R's qt(0.975, df) and scipy's t.ppf give them). */
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135, 2.262157163,
  2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.10092204,
  2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.06865761, 2.063898562, 2.059538553, 2.055529439, 2.051830516,
  2.048407142, 2.045229642, 2.042272456,
];

/** z_{0.975}, the standard normal's 0.975 quantile. */
export const Z975 = 1.959963984540054;

/**
 * t_{0.975, df} for df ≥ 1 (integers; Infinity gives z_{0.975}). df ≤ 30 from the table; above, the Cornish–Fisher
 * expansion of t around the normal quantile z (Abramowitz & Stegun 26.7.5, four terms), whose error there is below
 * 1e-6.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1) || (Number.isFinite(df) && !Number.isInteger(df)))
    throw new RangeError(`degrees of freedom must be an integer >= 1, got ${df}`);
  if (df <= T975.length) return T975[df - 1]!;
  if (!Number.isFinite(df)) return Z975;
  const z = Z975;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
