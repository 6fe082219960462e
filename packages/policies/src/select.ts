import { SIGN, signedBelow, type Rng } from './rng.js';
import type { SamplerVersion } from './sampler.js';

/** [0, 1, ..., n-1] as a Uint32Array (written into `out` when given). */
export function identity(n: number, out: Uint32Array = new Uint32Array(n)): Uint32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * A uniformly random `count`-subset of the items pool[start, end) (of the integers start .. end-1 when `pool` is
 * null), written to out[outStart, outStart + count). `out` may be `pool`. `scratch` (at least end - start entries,
 * overwritten; it must not overlap `pool` or `out`) lets a caller that selects every epoch keep one buffer instead of
 * allocating N ids per call; the result does not depend on it.
 *
 * Method (O(m) for m = end - start, branch-free, sequential): mark every item independently with probability
 * about count/m (one uint32 draw per item against a threshold), partition marked items to the front and unmarked
 * to the back, then fix the count: if there are too many, drop a uniformly random surplus of the marked ones
 * (`sampler` 2: a partial Fisher-Yates of surplus steps, typically a few hundred) or, in version 1, keep a uniformly
 * random `count` of them (a partial Fisher-Yates of `count` steps over all marked items: the same distribution, up to
 * 2.5x the cost of the whole selection); if too few, add a uniformly random few of the unmarked ones (both versions).
 * Every step treats the items symmetrically, so the result is exactly uniform over all count-subsets whatever the
 * marking probability is; the probability only sets how much fixing is needed. Version 3 skips the marking when
 * count or m - count is at most a fifth of m (SPARSE): a partial Fisher-Yates of min(count, m - count) steps over a
 * copy of the items (sampleByFisherYates), exactly uniform too, and up to 5x cheaper.
 */
export function sampleSubset(
  pool: Uint32Array | null,
  start: number,
  end: number,
  count: number,
  rng: Rng,
  out: Uint32Array,
  outStart: number,
  scratch?: Uint32Array,
  sampler: SamplerVersion = 2,
): void {
  const m = end - start;
  if (count <= 0) return;
  const tmp = scratch ?? new Uint32Array(m);
  if (count >= m) {
    for (let j = 0; j < m; j++) tmp[j] = pool ? pool[start + j]! : start + j;
    out.set(tmp.subarray(0, m), outStart);
    return;
  }
  if (sampler >= 3 && (count <= m * SPARSE || m - count <= m * SPARSE)) {
    sampleByFisherYates(pool, start, m, count, rng, tmp);
    out.set(tmp.subarray(0, count), outStart);
    return;
  }
  // Marked iff draw < threshold (in [1, 2^32) here), compared in int32 (signedBelow).
  const bound = signedBelow(Math.floor((count / m) * 4294967296));
  const block = new Uint32Array(Math.min(4096, m));
  const draws = new Int32Array(block.buffer);
  let a = 0;
  let z = m - 1;
  for (let j0 = 0; j0 < m; j0 += block.length) {
    rng.fill(block);
    const stop = Math.min(block.length, m - j0);
    // Two copies of the loop, so that neither tests `pool` per item.
    if (pool === null) {
      for (let q = 0; q < stop; q++) {
        const item = start + j0 + q;
        const take = +((draws[q]! ^ SIGN) <= bound);
        tmp[a] = item;
        a += take;
        tmp[z] = item;
        z -= 1 - take;
      }
    } else {
      for (let q = 0; q < stop; q++) {
        const item = pool[start + j0 + q]!;
        const take = +((draws[q]! ^ SIGN) <= bound);
        tmp[a] = item;
        a += take;
        tmp[z] = item;
        z -= 1 - take;
      }
    }
  }
  fixMarkedCount(tmp, a, m, count, rng, sampler);
  out.set(tmp.subarray(0, count), outStart);
}

/**
 * Version 3's cut-over: a count (or a complement m - count) of at most this share of the m items is drawn by
 * sampleByFisherYates. At m = 1,281,167 the marking pass costs about 5.5 ms CPU whatever the count; the partial
 * Fisher-Yates measured 0.2x of it for 4% of the items, 0.5x for 17%, 0.9x for 20% and 1.4x for 30% (interleaved, one
 * process), its random swaps costing more the larger the share.
 */
const SPARSE = 0.2;

/**
 * sampleSubset for a count (or complement m - count) that is a small share of the m items (version 3): copy the items
 * into tmp[0, m), then a partial Fisher-Yates of `count` steps leaves a uniformly random count-subset in tmp[0, count)
 * (in random order); for a small complement, m - count steps move a uniformly random (m - count)-subset to the front
 * and the rest, tmp[m - count, m), is a uniformly random count-subset, moved to tmp[0, count). Either way O(m) copying
 * plus min(count, m - count) random swaps, instead of one draw per item.
 */
function sampleByFisherYates(
  pool: Uint32Array | null,
  start: number,
  m: number,
  count: number,
  rng: Rng,
  tmp: Uint32Array,
): void {
  if (pool === null) for (let j = 0; j < m; j++) tmp[j] = start + j;
  else tmp.set(pool.subarray(start, start + m));
  if (count <= m - count) rng.partialShuffle(tmp, 0, m, count);
  else {
    rng.partialShuffle(tmp, 0, m, m - count);
    tmp.copyWithin(0, m - count, m);
  }
}

/**
 * The count fix of sampleSubset: given `a` marked items in tmp[0, a) and unmarked ones in tmp[a, m), leave a uniformly
 * random `count`-subset of the marked (a > count) or all marked and a uniformly random count - a of the unmarked
 * (a < count) in tmp[0, count), in an unspecified order. Version 2 drops the surplus: a - count Fisher-Yates steps
 * move it to tmp[0, a - count), then the kept items beyond tmp[0, count) move into its place; version 1 draws the
 * `count` kept ones (count steps), in random order.
 */
export function fixMarkedCount(
  tmp: Uint32Array,
  a: number,
  m: number,
  count: number,
  rng: Rng,
  sampler: SamplerVersion,
): void {
  if (a > count && sampler !== 1) {
    const surplus = a - count;
    rng.partialShuffle(tmp, 0, a, surplus);
    tmp.copyWithin(0, Math.max(count, surplus), a);
  } else if (a > count) rng.partialShuffle(tmp, 0, a, count);
  else if (a < count) rng.partialShuffle(tmp, a, m, count - a);
}
