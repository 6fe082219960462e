import type { Rng } from './rng.js';

/**
 * O(N) top-k selection over uint32 keys by most-significant-digit radix select (11 + 11 + 10 bits): at most three
 * histogram passes find the k-th largest key t, one more pass partitions. No sort, no per-sample objects, no
 * allocation besides a 2,048-entry histogram. Ties at the boundary are broken uniformly at random by `rng`
 * (a partial Fisher-Yates over the tied ids), so the result is a pure function of (keys, k, rng state).
 */

/** Sortable key of an "unobserved" sample: above the key of every float, +Infinity included. */
export const UNSEEN_KEY = 0xffffffff;

const PASSES: ReadonlyArray<readonly [shift: number, bits: number]> = [
  [21, 11],
  [10, 11],
  [0, 10],
];

/**
 * Rewrite `bits` (the Uint32Array view of a Float32Array of scores) in place into order-preserving uint32 keys:
 * a < b as floats iff key(a) < key(b) as unsigned integers. NaN (the "never observed" marker) becomes UNSEEN_KEY,
 * above every number; -0 and +0 get the same key.
 */
export function floatsToKeys(bits: Uint32Array, n = bits.length): void {
  for (let i = 0; i < n; i++) bits[i] = floatBitsToKey(bits[i]!);
}

/**
 * The key of one float32 given its bits. Branch-free (scores arrive in random order, so branches would
 * mispredict): -0 -> +0; negative floats get all bits flipped, non-negative ones the sign bit; NaN -> UNSEEN_KEY.
 * Returns an int32 whose uint32 reading is the key (store it into a Uint32Array).
 */
export function floatBitsToKey(bits: number): number {
  let b = bits | 0;
  b ^= +(b === (0x80000000 | 0)) << 31;
  const nan = +((b & 0x7fffffff) > 0x7f800000);
  return (b ^ ((b >> 31) | (0x80000000 | 0))) | -nan;
}

/**
 * floatsToKeys fused with topBitsHistogram: rewrite the float32 bits in `bits[0, n)` into sortable keys and return
 * the histogram of their top 11 bits (partitionTop's `hist`). One pass over data the caller has just written.
 */
export function keysAndHistogram(bits: Uint32Array, n = bits.length): Uint32Array {
  const hist = new Uint32Array(2048);
  for (let i = 0; i < n; i++) {
    const key = floatBitsToKey(bits[i]!) >>> 0;
    bits[i] = key;
    hist[key >>> 21]!++;
  }
  return hist;
}

/** Histogram of the top 11 bits of keys[0, n): the first radix pass (callers computing keys may fuse it). */
export function topBitsHistogram(
  keys: Uint32Array,
  n = keys.length,
  hist: Uint32Array = new Uint32Array(2048),
): Uint32Array {
  for (let i = 0; i < n; i++) hist[keys[i]! >>> 21]!++;
  return hist;
}

/**
 * Partition the ids 0..n-1 by key: `out[0, k)` receives the ids of the k largest keys, ties at the boundary
 * broken uniformly at random by `rng`; with `rest` (default), `out[k, n)` receives the others. `out` must hold n
 * entries (k when `rest` is false). `hist` may pass the top-11-bit histogram of the keys if the caller already
 * made it (topBitsHistogram). Order inside each part is deterministic (ids of higher radix buckets first in
 * increasing id order, then the boundary bucket's).
 *
 * Method: the histogram gives the boundary bucket b of the 2,048 top-bit buckets; one branch-free pass writes
 * the ids of higher buckets to the front of `out`, those of lower buckets to its back (if `rest`), and gathers
 * bucket b's ids; the boundary bucket (a few per cent of N for real scores) is then solved by radix select on
 * its remaining 21 bits (selectSmall). Two full passes over the keys in all.
 */
export function partitionTop(
  keys: Uint32Array,
  k: number,
  rng: Rng,
  out: Uint32Array,
  n = keys.length,
  rest = true,
  hist?: Uint32Array,
): void {
  if (k <= 0 || k >= n) {
    const m = rest ? n : Math.max(k, 0);
    for (let i = 0; i < m; i++) out[i] = i;
    return;
  }
  const h = hist ?? topBitsHistogram(keys, n);
  let b = 2047;
  let above = 0;
  while (above + h[b]! < k) above += h[b--]!;
  const size = h[b]!;
  const need = k - above;
  const low = (b << 21) >>> 0; // smallest key in bucket b
  const high = (b + 1) * 2097152; // smallest key above bucket b (2^32 for the top bucket: never reached)
  if (size === need) {
    splitAt(keys, low, out, n, rest);
    return;
  }
  const cand = new Uint32Array(size + 1); // + 1: room for the speculative write after the last candidate
  let a = 0;
  let c = 0;
  if (rest) {
    let z = n - 1;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      out[a] = i;
      a += +(key >= high);
      cand[c] = i;
      c += +(key >>> 21 === b);
      out[z] = i;
      z -= +(key < low);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      out[a] = i;
      a += +(key >= high);
      cand[c] = i;
      c += +(key >>> 21 === b);
    }
  }
  // Solve the boundary bucket; its positions [above, above + size) in `out` are rewritten here (speculative
  // writes of the pass above may only have landed there).
  const candKeys = new Uint32Array(size);
  for (let j = 0; j < size; j++) candKeys[j] = keys[cand[j]!]!;
  const pos = new Uint32Array(size);
  selectSmall(candKeys, need, rng, pos, size);
  const m = rest ? size : need;
  for (let j = 0; j < m; j++) out[above + j] = cand[pos[j]!]!;
}

/**
 * Branch-free split: ids with key >= threshold to the front of `out` (increasing id order), the others to its back
 * (decreasing id order) when `rest`. Each stream writes on every step and advances only for its own ids, so a
 * speculative write can only land on the first position of the other part, which is written last by its owner.
 */
function splitAt(keys: Uint32Array, threshold: number, out: Uint32Array, n: number, rest: boolean): void {
  let a = 0;
  if (!rest) {
    for (let i = 0; i < n; i++) {
      out[a] = i;
      a += +(keys[i]! >= threshold);
    }
    return;
  }
  let z = n - 1;
  for (let i = 0; i < n; i++) {
    const take = +(keys[i]! >= threshold);
    out[a] = i;
    a += take;
    out[z] = i;
    z -= 1 - take;
  }
}

/**
 * Radix select (11 + 11 + 10 bits) of the k largest of keys[0, n) into out[0, k), the rest into out[k, n): at most
 * three histogram passes find the k-th largest key t; one pass partitions (> t front, < t back, = t gathered);
 * `need` of the tied ids are then drawn by partial Fisher-Yates. 0 < k < n.
 */
function selectSmall(keys: Uint32Array, k: number, rng: Rng, out: Uint32Array, n: number): void {
  const hist = new Uint32Array(2048);
  let prefix = 0; // decided high bits (int32 form)
  let mask = 0; // which bits are decided (int32 form)
  let need = k; // how many more ids to take among keys matching `prefix`
  let tied = 0;
  for (const [shift, bits] of PASSES) {
    const bucketMask = (1 << bits) - 1;
    hist.fill(0, 0, bucketMask + 1);
    if (mask === 0) {
      for (let i = 0; i < n; i++) hist[keys[i]! >>> shift]!++;
    } else {
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        hist[(key >>> shift) & bucketMask]! += +((key & mask) === prefix); // branch-free
      }
    }
    let b = bucketMask;
    while (hist[b]! < need) need -= hist[b--]!;
    prefix |= b << shift;
    mask |= bucketMask << shift;
    if (hist[b] === need) {
      splitAt(keys, prefix >>> 0, out, n, true);
      return;
    }
    tied = hist[b]!;
  }
  // keys[i] > t: certainly chosen; === t: `tied` candidates for `need` places; < t: rest. The two big streams
  // are branch-free as in splitAt; their speculative writes can only land in the tie region, rewritten last.
  const t = prefix >>> 0;
  const ties = new Uint32Array(tied);
  let a = 0;
  let z = n - 1;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    out[a] = i;
    a += +(key > t);
    out[z] = i;
    z -= +(key < t);
    if (key === t) ties[m++] = i;
  }
  const tieStart = k - need;
  out.set(ties, tieStart);
  for (let j = tieStart; j < k; j++) {
    const r = j + rng.int(tieStart + tied - j);
    const s = out[j]!;
    out[j] = out[r]!;
    out[r] = s;
  }
}
