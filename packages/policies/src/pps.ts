import { PrunerError } from './errors.js';
import type { Rng } from './rng.js';

/**
 * Inclusion probabilities for drawing k of n items with probability proportional to size (PPS), mixed with
 * uniform: p_i = k · ((1 − mix) · s_i / Σs + mix / n), then every p_i above 1 is set to 1 (the item is certain) and
 * the rest are rescaled to the remaining budget, until none exceeds 1. Σp = k (up to rounding), 0 < p_i <= 1 when
 * mix > 0, and p_i >= k · mix / n, so the inverse-probability weight k / (n · p_i) is at most 1 / mix.
 *
 * Sizes must be finite and >= 0 (the caller maps never-observed and negative scores); all-zero sizes (or
 * mix = 1) give the uniform k / n; with mix = 0, items of size 0 get 0 unless places are left for them. O(n) per capping round; each round makes at least one more item certain and in
 * practice two or three rounds suffice. `out` (length >= n) receives the probabilities.
 */
export function inclusionProbabilities(sizes: ArrayLike<number>, k: number, mix: number, out: Float64Array = new Float64Array(sizes.length)): Float64Array {
  const n = sizes.length;
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new PrunerError('k', k, `an integer in [0, ${n}]`);
  if (!(mix >= 0 && mix <= 1)) throw new PrunerError('mix', mix, 'a number in [0, 1]');
  if (out.length < n) throw new PrunerError('out.length', out.length, `>= ${n} (the number of sizes)`);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const s = sizes[i]!;
    if (!(s >= 0 && s < Infinity)) throw new PrunerError(`sizes[${i}]`, s, 'a finite number >= 0');
    if (s > max) max = s;
  }
  // Sizes relative to the largest (in [0, 1], so neither the sum overflows nor a subnormal total divides to Infinity).
  let total = 0;
  for (let i = 0; i < n; i++) total += sizes[i]! / max;
  // q: the uncapped shares (Σq = 1); a certain item leaves the pool.
  const sizeShare = max > 0 ? (1 - mix) / total : 0;
  const uniformShare = max > 0 ? mix / n : 1 / n;
  let budget = k;
  let poolShare = 0; // Σq
  for (let i = 0; i < n; i++) {
    out[i] = max > 0 ? (sizes[i]! / max) * sizeShare + uniformShare : uniformShare;
    poolShare += out[i]!;
  }
  if (k === n) return out.fill(1, 0, n);
  // Shares are rescaled lazily: p_i = q_i · scale for pooled items; a certain item is stored as −1 until the end.
  // The pool's share is summed afresh each round (subtracting the capped share would cancel catastrophically when
  // the capped items hold nearly all of it).
  let scale = budget / poolShare;
  for (;;) {
    let capped = 0;
    let pool = 0;
    let pooled = 0;
    for (let i = 0; i < n; i++) {
      const q = out[i]!;
      if (q < 0) continue;
      if (q * scale >= 1) {
        capped++;
        out[i] = -1;
      } else {
        pool += q;
        pooled++;
      }
    }
    if (capped === 0) {
      for (let i = 0; i < n; i++) out[i] = out[i]! < 0 ? 1 : out[i]! * scale;
      return out;
    }
    budget -= capped;
    if (budget <= 0 || !(budget / pool < Infinity)) {
      // All k places are certain (the rest get 0), or the places left fall to items of share 0 (or subnormal:
      // possible only with mix ~0): those share them evenly (budget <= pooled, so each gets at most 1).
      const even = budget > 0 ? budget / pooled : 0;
      for (let i = 0; i < n; i++) out[i] = out[i]! < 0 ? 1 : even;
      return out;
    }
    scale = budget / pool;
  }
}

/** Ids per block of the random order in systematicSample: sequential within a block, blocks shuffled. */
const BLOCK = 64;

/**
 * Systematic PPS sampling (Madow 1949) over a randomly ordered list: exactly k distinct items, item i included with
 * probability p_i (Σp = k, each p_i in [0, 1]). The list is the ids in blocks of 64 consecutive ids, the blocks in a
 * uniformly random order (so the pass over p stays sequential, ~4x faster than a full permutation at N ~ 10^6);
 * a uniform start in [0, 1) then picks every item whose cumulative probability crosses start + j. Marginals are
 * exact for any order; the blocks only make neighbouring ids (same-class runs in a class-sorted folder) rarely
 * chosen together when their p sum to at most 1, i.e. stratified. The chosen ids go to `out[0, k)` in list order.
 * Consumes the block shuffle's draws plus one.
 */
export function systematicSample(p: Float64Array, n: number, k: number, rng: Rng, out: Uint32Array): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= p.length)) throw new PrunerError('n', n, `an integer in [0, ${p.length}] (the length of p)`);
  if (!(Number.isInteger(k) && k >= 0 && k <= n && k <= out.length)) throw new PrunerError('k', k, `an integer in [0, ${Math.min(n, out.length)}]`);
  const blocks = new Uint32Array(Math.ceil(n / BLOCK));
  for (let b = 0; b < blocks.length; b++) blocks[b] = b;
  rng.shuffle(blocks);
  let threshold = rng.nextFloat();
  let acc = 0;
  let count = 0;
  // Invariant: acc <= threshold before each item, so an item with p <= 1 crosses at most one threshold.
  for (let j = 0; j < blocks.length && count < k; j++) {
    const start = blocks[j]! * BLOCK;
    const end = Math.min(start + BLOCK, n);
    for (let id = start; id < end && count < k; id++) {
      acc += p[id]!;
      if (acc > threshold) {
        out[count++] = id;
        threshold += 1;
      }
    }
  }
  if (count === k) return;
  // Σp rounded below k can leave the last place empty (probability about k − Σp, ~1e-8 at n = 10^6): it goes to an
  // unchosen item drawn in proportion to p (uniformly if all their p are 0).
  const chosen = new Uint8Array(n);
  for (let j = 0; j < count; j++) chosen[out[j]!] = 1;
  while (count < k) {
    let total = 0;
    let free = 0;
    for (let id = 0; id < n; id++) {
      if (chosen[id]) continue;
      total += p[id]!;
      free++;
    }
    let r = total > 0 ? rng.nextFloat() * total : rng.int(free);
    let pick = -1;
    for (let id = 0; id < n && pick < 0; id++) {
      if (chosen[id]) continue;
      const w = total > 0 ? p[id]! : 1;
      if (r < w) pick = id;
      else r -= w;
    }
    if (pick < 0) for (let id = n - 1; id >= 0 && pick < 0; id--) if (!chosen[id] && (total === 0 || p[id]! > 0)) pick = id; // rounding
    out[count++] = pick;
    chosen[pick] = 1;
  }
}
