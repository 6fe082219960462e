import type { Rng } from './rng.js';

/** [0, 1, ..., n-1] as a Uint32Array. */
export function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** k distinct ids drawn uniformly from [0, n): partial Fisher-Yates, O(n) memory, O(k) swaps. */
export function sampleWithoutReplacement(n: number, k: number, rng: Rng): Uint32Array {
  const a = identity(n);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, k);
}
