import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { scatterShuffle, shuffleBucket } from './scatter-shuffle.js';

// Every uniformity test below is seeded, so its statistic is one fixed number (not flaky); each bound is the 0.999
// quantile of the chi-square distribution with the test's degrees of freedom (a uniform shuffle fails it for 1 seed
// in 1,000; the seeds here pass).

/** Chi-square of observed counts against one expected count. */
function chiSquare(counts: ArrayLike<number>, expected: number): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += (counts[i]! - expected) ** 2 / expected;
  return s;
}

describe('scatterShuffle (selection-algorithm version 3)', () => {
  it('orders a source as it orders the identity, below and above the scatter threshold', () => {
    // (That every shuffle is a permutation carrying its weights along is tested with shuffledCopy's, select.test.ts.)
    for (const [n, small] of [
      [2, 1],
      [1000, 16],
      [600000, 1 << 19],
    ] as const) {
      const src = Uint32Array.from({ length: n }, (_, i) => i * 3);
      const fromSource = scatterShuffle(n, src, null, new Rng(n + 1), small).indices;
      const identity = scatterShuffle(n, null, null, new Rng(n + 1), small).indices;
      expect(fromSource.every((x, i) => x === 3 * identity[i]!)).toBe(true);
    }
  });

  it('is deterministic in the generator, and leaves its inputs unchanged', () => {
    const src = Uint32Array.from({ length: 3000 }, (_, i) => 2999 - i);
    const copy = src.slice();
    const a = scatterShuffle(3000, src, null, new Rng(7), 64).indices;
    expect(scatterShuffle(3000, src, null, new Rng(7), 64).indices).toEqual(a);
    expect(scatterShuffle(3000, src, null, new Rng(8), 64).indices).not.toEqual(a);
    expect(src).toEqual(copy);
  });

  it('every one of the 120 orders of 5 items is equally likely (scatter path, one generator per seed)', () => {
    const counts = new Map<string, number>();
    const trials = 24000;
    const src = Uint32Array.of(0, 1, 2, 3, 4);
    for (let seed = 0; seed < trials; seed++) {
      const key = scatterShuffle(5, src, null, new Rng(seed), 1).indices.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(120);
    expect(chiSquare([...counts.values()], trials / 120)).toBeLessThan(172.4); // 119 degrees of freedom
  });

  it('position frequencies are uniform where buckets hold many items (in-bucket draws and their rejections)', () => {
    // n = 5,003 in 256 buckets (~20 items each): where items 0 and 5,002 land, in 20 bins of positions.
    const n = 5003;
    const trials = 2000;
    const first = new Float64Array(20);
    const last = new Float64Array(20);
    let before = 0;
    for (let seed = 0; seed < trials; seed++) {
      const { indices } = scatterShuffle(n, null, null, new Rng(1000 + seed), 1024);
      const p0 = indices.indexOf(0);
      const p1 = indices.indexOf(n - 1);
      first[Math.floor((p0 / n) * 20)]!++;
      last[Math.floor((p1 / n) * 20)]!++;
      if (p0 < p1) before++;
    }
    expect(chiSquare(first, trials / 20)).toBeLessThan(43.8); // 19 degrees of freedom
    expect(chiSquare(last, trials / 20)).toBeLessThan(43.8);
    expect(Math.abs(before / trials - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / trials));
  });

  it('the in-bucket shuffle is uniform (10 x 10 item-by-position table) and moves paired weights along', () => {
    const n = 10;
    const trials = 20000;
    const table = new Float64Array(n * n);
    const block = new Uint32Array(3); // a tiny block: refills mid-bucket, leftover words carried between calls
    const rng = new Rng(21);
    let q = block.length;
    let ok = true;
    for (let t = 0; t < trials; t++) {
      const a = Uint32Array.from({ length: n + 2 }, (_, i) => i - 1);
      a[0] = 99;
      a[n + 1] = 99;
      const b = Float32Array.from(a, (x) => x + 0.25);
      q = shuffleBucket(rng, a, b, 1, n + 1, block, q);
      ok &&= a[0] === 99 && a[n + 1] === 99 && a.every((x, i) => b[i] === x + 0.25);
      for (let pos = 0; pos < n; pos++) table[a[pos + 1]! * n + pos]!++;
    }
    expect(ok).toBe(true);
    expect(chiSquare(table, trials / n)).toBeLessThan(126.1); // (10 - 1)^2 = 81 degrees of freedom
  });

  it('the 16-bit draws stay uniform for ranges with large rejection zones (40,000 items) and at 65,536', () => {
    // Range 40,000: a 16-bit half is rejected 39% of the time. Where item 0 lands, in 20 bins, over 1,000 shuffles.
    const n = 40000;
    const rng = new Rng(3);
    const block = new Uint32Array(2048);
    let q = block.length;
    const bins = new Float64Array(20);
    const a = new Uint32Array(n);
    for (let t = 0; t < 1000; t++) {
      for (let i = 0; i < n; i++) a[i] = i;
      q = shuffleBucket(rng, a, null, 0, n, block, q);
      bins[Math.floor((a.indexOf(0) / n) * 20)]!++;
    }
    expect(chiSquare(bins, 50)).toBeLessThan(43.8);
    const big = Uint32Array.from({ length: 65536 }, (_, i) => i);
    shuffleBucket(rng, big, null, 0, 65536, block, q);
    expect(new Set(big).size).toBe(65536);
  });
});
