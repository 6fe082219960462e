import { describe, expect, it } from 'vitest';
import { tQuantile975, Z975 } from './t-quantile.js';

/** P(T ≤ x) for Student's t with df degrees of freedom, by Simpson's rule on the density (an independent check). */
function tCdf(x: number, df: number): number {
  const lgamma = (z: number): number => {
    // Lanczos (g = 7, n = 9), accurate to ~1e-15 for z > 0.5.
    const c = [
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
      12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    const zz = z - 1;
    let a = c[0]!;
    const t = zz + 7.5;
    for (let i = 1; i < 9; i++) a += c[i]! / (zz + i);
    return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(a);
  };
  const logNorm = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const pdf = (t: number) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
  const steps = 200_000;
  const h = x / steps;
  let s = pdf(0) + pdf(x);
  for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * pdf(i * h);
  return 0.5 + (s * h) / 3;
}

describe('tQuantile975', () => {
  it('gives the known values of t(0.975, df) (R qt / scipy t.ppf)', () => {
    const known: [number, number][] = [
      [1, 12.706204736],
      [2, 4.30265273],
      [3, 3.182446305],
      [4, 2.776445105],
      [5, 2.570581836],
      [9, 2.262157163],
      [10, 2.228138852],
      [19, 2.093024054],
      [29, 2.045229642],
      [30, 2.042272456],
      // above the table: the Cornish-Fisher expansion
      [31, 2.039513446],
      [35, 2.030107928],
      [40, 2.02107539],
      [60, 2.000297822],
      [120, 1.979930405],
      [1000, 1.962339081],
    ];
    for (const [df, t] of known) expect(tQuantile975(df), `df ${df}`).toBeCloseTo(t, 6);
    expect(tQuantile975(Infinity)).toBe(Z975);
  });

  it('is the 0.975 quantile: the t distribution puts 97.5% of its mass below it', () => {
    for (const df of [1, 2, 3, 7, 30, 31, 45, 200])
      expect(tCdf(tQuantile975(df), df), `df ${df}`).toBeCloseTo(0.975, 6);
  });

  it('falls with df towards the normal quantile, and joins the table smoothly', () => {
    let last = Infinity;
    for (let df = 1; df <= 500; df++) {
      const t = tQuantile975(df);
      expect(t).toBeLessThan(last);
      expect(t).toBeGreaterThan(Z975);
      last = t;
    }
  });

  it('refuses degrees of freedom that are not integers >= 1', () => {
    for (const df of [0, -1, 1.5, Number.NaN]) expect(() => tQuantile975(df)).toThrow(RangeError);
  });
});
