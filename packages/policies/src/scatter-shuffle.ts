import type { Rng } from './rng.js';
import { fisherYatesCopy } from './shuffle.js';

/**
 * Below this length (2 MiB of ids) the epoch order is version 2's: a plain Fisher-Yates shuffle (Rng.shufflePaired),
 * which stays cache-resident and measured as fast as the scatter at 384,351 ids and weights (CPU time, interleaved).
 */
const SMALL = 1 << 19;
const BUCKET_BITS = 8;
const BUCKETS = 1 << BUCKET_BITS;
/** Largest bucket the 16-bit bounded draws serve; a larger one (N above ~16 million) uses 32-bit draws. */
const MAX16 = 65536;
/** uint32 draws per refill of the in-bucket shuffle (two 16-bit draws each). */
const BLOCK = 2048;

/**
 * Selection-algorithm version 3's epoch-order shuffle: a uniformly shuffled copy of `source` (of 0..n-1 when `source`
 * is null), with `weights` permuted alongside. The same interface as shuffledCopy (versions 1 and 2), other choices.
 *
 * Method (a Rao-Sandelius scatter shuffle; Rao 1961, Sandelius 1962, see Bacher et al. 2015, "MergeShuffle"):
 *  1. every item gets an independent uniform label in [0, 256): four labels from each uint32 of one fill();
 *  2. the items are written stably into 256 buckets (ordered by label), one sequential pass: every write goes to one
 *     of 256 advancing cursors, so the 5 MB array is written streaming rather than at random;
 *  3. each bucket (about N / 256 items: 20 KB at N = 1.28 M, cache-resident) is Fisher-Yates shuffled with 16-bit
 *     bounded draws, two per uint32 (Lemire's multiply-shift on 16-bit words; rejected halves are skipped).
 *
 * Why this is an exactly uniform permutation. Fix any output sequence s of the n items. The labelling that produces s
 * is the one in which, for every bucket size vector c = (c_0, ..., c_255) summing to n, the items at positions
 * [c_0 + ... + c_{b-1}, c_0 + ... + c_b) of s carry label b: for each c exactly one labelling, of probability
 * 256^-n (labels are independent and uniform). Given that labelling the buckets' contents are fixed and each bucket's
 * Fisher-Yates (uniform over its c_b! orders, independently) yields s's order with probability 1 / c_b!. So
 * P(s) = sum over c of 256^-n * prod_b 1 / c_b!, the same for every s. (Below `small` ids: plain Fisher-Yates.) The 16-bit draw is exactly uniform: for h uniform in [0, 65536) and 1 <= m <= 65536, with
 * p = h * m, the high 16 bits of p are accepted unless (p mod 65536) < (65536 - m) mod m, which leaves exactly
 * floor(65536 / m) values of h for each result (Lemire 2019, Algorithm 5, with 16-bit words).
 *
 * Cost at N = 1,281,167 (CPU time, interleaved in one process): about 2x faster than shuffledCopy, which spends
 * most of its time in a per-step branchy 16-bit draw; here the counts come from four interleaved histograms (no
 * store-to-load chain on one counter) and the in-bucket loop draws two targets per word with one rare branch.
 */
export function scatterShuffle(
  n: number,
  source: Uint32Array | null,
  weights: Float32Array | null,
  rng: Rng,
  small = SMALL,
): { indices: Uint32Array; weights: Float32Array | null } {
  if (n < small) return fisherYatesCopy(n, source, weights, rng);
  const out = new Uint32Array(n);
  const outW = weights ? new Float32Array(n) : null;
  // 1. Labels, four to a word; counted per byte lane (four histograms, summed).
  const words = new Uint32Array((n + 3) >>> 2);
  rng.fill(words);
  const labels = new Uint8Array(words.buffer, 0, n);
  const lanes = new Int32Array(4 * BUCKETS);
  const whole = n >>> 2;
  for (let q = 0; q < whole; q++) {
    const w = words[q]!;
    lanes[w & 0xff]!++;
    lanes[BUCKETS + ((w >>> 8) & 0xff)]!++;
    lanes[2 * BUCKETS + ((w >>> 16) & 0xff)]!++;
    lanes[3 * BUCKETS + (w >>> 24)]!++;
  }
  for (let i = whole * 4; i < n; i++) lanes[labels[i]!]!++;
  const start = new Int32Array(BUCKETS + 1);
  for (let b = 0; b < BUCKETS; b++)
    start[b + 1] = start[b]! + lanes[b]! + lanes[BUCKETS + b]! + lanes[2 * BUCKETS + b]! + lanes[3 * BUCKETS + b]!;
  // 2. Stable scatter (one loop per layout, so each compiles for its typed arrays).
  const pos = start.slice(0, BUCKETS);
  if (source && outW) scatterPaired(labels, pos, source, weights!, out, outW, n);
  else if (source) scatterIds(labels, pos, source, out, n);
  else scatterIdentity(labels, pos, out, n);
  // 3. Fisher-Yates inside every bucket, the draws of one bucket continuing where the last one's stopped.
  const block = new Uint32Array(BLOCK);
  let q = BLOCK;
  for (let b = 0; b < BUCKETS; b++) {
    const s = start[b]!;
    const e = start[b + 1]!;
    if (e - s > MAX16) rng.partialShuffle(out, s, e, e - s - 1, outW);
    else if (e - s > 1) q = shuffleBucket(rng, out, outW, s, e, block, q);
  }
  return { indices: out, weights: outW };
}

function scatterIdentity(labels: Uint8Array, pos: Int32Array, out: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[pos[labels[i]!]!++] = i;
}

function scatterIds(labels: Uint8Array, pos: Int32Array, source: Uint32Array, out: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[pos[labels[i]!]!++] = source[i]!;
}

function scatterPaired(
  labels: Uint8Array,
  pos: Int32Array,
  source: Uint32Array,
  weights: Float32Array,
  out: Uint32Array,
  outW: Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const p = pos[labels[i]!]!++;
    out[p] = source[i]!;
    outW[p] = weights[i]!;
  }
}

/**
 * Fisher-Yates shuffle of a[s, e), 2 <= e - s <= 65536 (the same swaps on `b` when given): for i = s .. e - 2, swap
 * a[i] with a[i + j], j a uniform 16-bit bounded draw in [0, e - i). The draws are the uint32s of `block` from index
 * `q` on (refilled from `rng` when used up), two 16-bit draws per word, low half first; a rejected half is skipped and
 * an unused high half at the end is dropped. Returns the index of the next unused word.
 */
export function shuffleBucket(
  rng: Rng,
  a: Uint32Array,
  b: Float32Array | null,
  s: number,
  e: number,
  block: Uint32Array,
  q: number,
): number {
  return b === null ? shuffleIds16(rng, a, s, e, block, q) : shufflePaired16(rng, a, b, s, e, block, q);
}

/** The next accepted target i + j of a 16-bit draw `h` for range m = e - i, or -1 when rejected. */
function target16(h: number, i: number, m: number): number {
  const p = h * m;
  const low = p & 0xffff;
  return low >= m || low >= (MAX16 - m) % m ? i + (p >>> 16) : -1;
}

// shuffleBucket's two loops, ids only and ids with weights: deliberately two copies (as fisher-yates.ts's), so that V8
// compiles each for one array layout; a shared loop testing `b` per step measured slower there.
function shuffleIds16(rng: Rng, a: Uint32Array, s: number, e: number, block: Uint32Array, q: number): number {
  let i = s;
  const last = e - 1;
  while (i < last) {
    if (q === block.length) {
      rng.fill(block);
      q = 0;
    }
    const w = block[q++]!;
    let j = target16(w & 0xffff, i, e - i);
    if (j >= 0) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      if (++i === last) break;
    }
    j = target16(w >>> 16, i, e - i);
    if (j >= 0) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      i++;
    }
  }
  return q;
}

function shufflePaired16(
  rng: Rng,
  a: Uint32Array,
  b: Float32Array,
  s: number,
  e: number,
  block: Uint32Array,
  q: number,
): number {
  let i = s;
  const last = e - 1;
  while (i < last) {
    if (q === block.length) {
      rng.fill(block);
      q = 0;
    }
    const w = block[q++]!;
    let j = target16(w & 0xffff, i, e - i);
    if (j >= 0) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      const u = b[i]!;
      b[i] = b[j]!;
      b[j] = u;
      if (++i === last) break;
    }
    j = target16(w >>> 16, i, e - i);
    if (j >= 0) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      const u = b[i]!;
      b[i] = b[j]!;
      b[j] = u;
      i++;
    }
  }
  return q;
}
