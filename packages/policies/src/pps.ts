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
export function inclusionProbabilities(
  sizes: ArrayLike<number>,
  k: number,
  mix: number,
  out: Float64Array = new Float64Array(sizes.length),
): Float64Array {
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
  if (max > 0) {
    for (let i = 0; i < n; i++) {
      const r = sizes[i]! / max;
      out[i] = r;
      total += r;
    }
  }
  const scale = cappedShares(out, n, k, mix, max, total);
  for (let i = 0; i < n; i++) out[i] = out[i]! < 0 ? 1 : out[i]! * scale;
  return out;
}

/**
 * The core of inclusionProbabilities, for callers that already hold valid relative sizes (importance.ts). On entry
 * `out[0, n)` holds r_i = size_i / max, `max` the largest size (0: all sizes 0, `out` is then not read) and `total`
 * Σ r_i summed in index order. On return the probability of item i is 1 where out[i] < 0 (certain) and
 * out[i] · scale elsewhere, `scale` being the return value: the sampler (samplePps) applies it on the fly, which
 * saves writing the probabilities out. Bit for bit the probabilities of the straightforward algorithm (one full
 * capping round per pass, see inclusionProbabilities):
 *  - the uncapped shares q_i, their sum and the first capping round come out of one pass, the round-1 capped set
 *    guessed as {q_i · k >= 1} (the round's scale is k / Σq, Σq = 1 up to rounding) and verified after the pass
 *    (the guessed pool sum skips exactly the capped items, so it is the round's own sum when the guess holds; if not,
 *    the round is redone in full);
 *  - a round that would cap nothing needs no pass: q · scale is monotone in q, so the largest share left decides.
 */
export function cappedShares(out: Float64Array, n: number, k: number, mix: number, max: number, total: number): number {
  // q: the uncapped shares (Σq = 1); a certain item leaves the pool.
  const sizeShare = max > 0 ? (1 - mix) / total : 0;
  const uniformShare = max > 0 ? mix / n : 1 / n;
  if (k === n) {
    out.fill(1, 0, n);
    return 1;
  }
  // Shares are rescaled lazily: p_i = q_i · scale for pooled items; a certain item is stored as −q_i until the end.
  // The pool's share is summed afresh each round (subtracting the capped share would cancel catastrophically when
  // the capped items hold nearly all of it). Capped items add +0 to the pool sums (x + 0 = x exactly), so a sum
  // over the pooled items is the index-order sum skipping the capped ones.
  // (Math.min / Math.max rather than if-updates of the running extremes: ~3x faster loops in V8.)
  let poolShare = 0; // Σq
  let pool = 0; // Σq over the guessed pool {q · k < 1}
  let pooled = 0;
  let poolMax = 0; // largest q in the guessed pool (0 if none: only poolMax · scale >= 1 is ever asked)
  let cappedMin = Infinity; // smallest q guessed capped
  for (let i = 0; i < n; i++) {
    const q = max > 0 ? out[i]! * sizeShare + uniformShare : uniformShare;
    poolShare += q;
    if (q * k >= 1) {
      out[i] = -q;
      cappedMin = Math.min(cappedMin, q);
      continue;
    }
    out[i] = q;
    pool += q;
    pooled++;
    poolMax = Math.max(poolMax, q);
  }
  let budget = k;
  let scale = budget / poolShare;
  let capped = n - pooled;
  if (!((capped === 0 || cappedMin * scale >= 1) && !(poolMax * scale >= 1))) {
    // The guess was wrong (a share within rounding of 1 / k): undo it and run round 1 in full.
    for (let i = 0; i < n; i++) if (out[i]! < 0) out[i] = -out[i]!;
    ({ capped, pool, pooled, poolMax } = capRound(out, n, scale));
  }
  for (;;) {
    if (capped === 0) return scale;
    budget -= capped;
    if (budget <= 0 || !(budget / pool < Infinity)) {
      // All k places are certain (the rest get 0), or the places left fall to items of share 0 (or subnormal:
      // possible only with mix ~0): those share them evenly (budget <= pooled, so each gets at most 1).
      const even = budget > 0 ? budget / pooled : 0;
      for (let i = 0; i < n; i++) out[i] = out[i]! < 0 ? 1 : even;
      return 1;
    }
    scale = budget / pool;
    // The next round caps something iff the largest pooled share reaches 1 at the new scale.
    if (!(poolMax * scale >= 1)) return scale;
    ({ capped, pool, pooled, poolMax } = capRound(out, n, scale));
  }
}

/** One capping round: every pooled item with q · scale >= 1 becomes certain (stored as −q). */
function capRound(
  out: Float64Array,
  n: number,
  scale: number,
): { capped: number; pool: number; pooled: number; poolMax: number } {
  let capped = 0;
  let pool = 0;
  let pooled = 0;
  let poolMax = 0;
  for (let i = 0; i < n; i++) {
    const q = out[i]!;
    if (q < 0) continue;
    if (q * scale >= 1) {
      capped++;
      out[i] = -q;
      continue;
    }
    pool += q;
    pooled++;
    poolMax = Math.max(poolMax, q);
  }
  return { capped, pool, pooled, poolMax };
}

/**
 * The systematic pass as specified: walk the items in block order accumulating p, and take an item when the sum
 * passes the threshold, which starts at `start` and moves up by 1 at every take. Returns the number taken (k, or
 * fewer when Σp rounded below k). Invariant: acc <= threshold before each item, so an item with p <= 1 crosses at
 * most one threshold. Branch-free (an item is taken with probability p, unpredictably): every item is written at
 * out[count], and count (and the threshold, by 0 or 1: exact) advances only when it is taken; count < k at every write.
 */
function thresholdPass(
  q: Float64Array,
  scale: number,
  n: number,
  k: number,
  nb: number,
  blocks: Uint32Array,
  start: number,
  out: Uint32Array,
  weights: Float32Array | null,
): number {
  let threshold = start;
  let acc = 0;
  let count = 0;
  for (let j = 0; j < nb && count < k; j++) {
    const first = blocks[j]! * PPS_BLOCK;
    const end = Math.min(first + PPS_BLOCK, n);
    for (let id = first; id < end && count < k; id++) {
      const v = q[id]!;
      const p = v < 0 ? 1 : v * scale;
      acc += p;
      const take = +(acc > threshold);
      out[count] = id;
      if (weights !== null) weights[count] = k / (n * p);
      count += take;
      threshold += take;
    }
  }
  return count;
}

/** k below this (2^21 - 2): thresholds start + m and differences acc - start are exact in float64 (see crossingsPass). */
const CLOSED_FORM_MAX = 2 ** 21 - 2;

/**
 * thresholdPass without its slow loop-carried chain (compare -> count -> threshold -> compare): the takes so far are
 * the thresholds start + m (m = 0, 1, ...) below acc, i.e. max(0, ceil(acc - start)), computed afresh from acc at each
 * item. Exactly thresholdPass's result while acc < 2^21 (k < CLOSED_FORM_MAX): start is a multiple of 2^-32 in
 * [0, 1), so every threshold start + m is exact in float64, and so is acc - start whenever acc >= start (both on
 * acc's grid; below start it is negative either way). The two could part only if one item's sum crossed two
 * thresholds, which p <= 1 rules out (start + m + 1 is exact, so rounding cannot carry acc + p past it); the check
 * stays as a guard (returns -1: the caller then runs thresholdPass). ~40% faster at N ~ 10^6.
 */
function crossingsPass(
  q: Float64Array,
  scale: number,
  n: number,
  k: number,
  nb: number,
  blocks: Uint32Array,
  start: number,
  out: Uint32Array,
  weights: Float32Array | null,
): number {
  let acc = 0;
  let count = 0;
  for (let j = 0; j < nb && count < k; j++) {
    const first = blocks[j]! * PPS_BLOCK;
    const end = Math.min(first + PPS_BLOCK, n);
    for (let id = first; id < end && count < k; id++) {
      const v = q[id]!;
      const p = v < 0 ? 1 : v * scale;
      acc += p;
      const crossed = Math.max(Math.ceil(acc - start) | 0, 0);
      out[count] = id;
      if (weights !== null) weights[count] = k / (n * p);
      if (crossed - count > 1) return -1;
      count = crossed;
    }
  }
  return count;
}

/** Ids per block of the random order in systematicSample: sequential within a block, blocks shuffled. */
export const PPS_BLOCK = 64;

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
  if (!(Number.isInteger(n) && n >= 0 && n <= p.length))
    throw new PrunerError('n', n, `an integer in [0, ${p.length}] (the length of p)`);
  if (!(Number.isInteger(k) && k >= 0 && k <= n && k <= out.length))
    throw new PrunerError('k', k, `an integer in [0, ${Math.min(n, out.length)}]`);
  samplePps(p, 1, n, k, rng, out, null, new Uint32Array(Math.ceil(n / PPS_BLOCK)));
}

/**
 * systematicSample on the output of cappedShares, without validation: the probability of item i is 1 where
 * q[i] < 0 and q[i] · scale elsewhere (scale 1 and q = p for plain probabilities in [0, 1]). With `weights`, chosen
 * item j also gets weights[j] = k / (n · p) (the inverse-probability weight, importance.ts), computed as it is
 * chosen. `blocks` is scratch of at least ceil(n / 64) entries. Same draws, same choice as systematicSample.
 */
export function samplePps(
  q: Float64Array,
  scale: number,
  n: number,
  k: number,
  rng: Rng,
  out: Uint32Array,
  weights: Float32Array | null,
  blocks: Uint32Array,
): void {
  const nb = Math.ceil(n / PPS_BLOCK);
  for (let b = 0; b < nb; b++) blocks[b] = b;
  rng.shuffle(blocks, nb);
  const start = rng.nextFloat();
  let count = k < CLOSED_FORM_MAX ? crossingsPass(q, scale, n, k, nb, blocks, start, out, weights) : -1;
  if (count < 0) count = thresholdPass(q, scale, n, k, nb, blocks, start, out, weights);
  if (count === k) return;
  // Σp rounded below k can leave the last place empty (probability about k − Σp, ~1e-8 at n = 10^6): it goes to an
  // unchosen item drawn in proportion to p (uniformly if all their p are 0).
  const prob = (id: number) => (q[id]! < 0 ? 1 : q[id]! * scale);
  const chosen = new Uint8Array(n);
  for (let j = 0; j < count; j++) chosen[out[j]!] = 1;
  while (count < k) {
    let total = 0;
    let free = 0;
    for (let id = 0; id < n; id++) {
      if (chosen[id]) continue;
      total += prob(id);
      free++;
    }
    let r = total > 0 ? rng.nextFloat() * total : rng.int(free);
    let pick = -1;
    for (let id = 0; id < n && pick < 0; id++) {
      if (chosen[id]) continue;
      const w = total > 0 ? prob(id) : 1;
      if (r < w) pick = id;
      else r -= w;
    }
    if (pick < 0)
      for (let id = n - 1; id >= 0 && pick < 0; id--) if (!chosen[id] && (total === 0 || prob(id) > 0)) pick = id; // rounding
    out[count] = pick;
    if (weights !== null) weights[count] = k / (n * prob(pick));
    count++;
    chosen[pick] = 1;
  }
}
