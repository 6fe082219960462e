import { samplerOf } from '../sampler.js';
import { encodeTyped } from '../codec.js';
import { floorOf } from '../count.js';
import { checkInt, checkNumber, orDefault, PrunerError } from '../errors.js';
import { SIGN, signedBelow, type Rng } from '../rng.js';
import { fixMarkedCount, sampleSubset } from '../select.js';
import { floatBitsToKey } from '../top-k.js';
import type { Policy } from '../types.js';
import { MAX_LOSS } from '../validate.js';
import { loadScores, stateObject } from './state.js';

export interface SetaOptions {
  /** k: loss groups (k-means clusters), easy -> hard. Integer in [1, 100]. Default 10 (official `num_group`). */
  groups: number;
  /** Share of the groups in the sliding window: w = round(k * windowScale) groups (round half to even, as Python). Default 0.5. */
  windowScale: number;
  /** Window phase while epoch < floor(δ * totalEpochs); "partial annealing" (random subset, no window) after. In (0, 1]. Default 0.875. */
  delta: number;
  /** Score of a never-observed sample in the clustering (the official code initialises every score to 3). Default 3. */
  initialScore: number;
}

/** Histogram resolution of the 1-D k-means: at most 2^BIN_BITS bins over the range of the sortable float keys. */
const BIN_BITS = 12;
const BINS = 1 << BIN_BITS;
const MAX_GROUPS = 100;
/** Samples of the pilot k-means that calibrates the random-prune share (all of them when N is at most this). */
const PILOT = 65536;
/** Largest subset groupSubsetById may histogram in id order (its float64 bin sums are exact up to 2^28 terms). */
const ID_ORDER_MAX = 2 ** 28;

/** Python's round() for x >= 0: to the nearest integer, halves to even (round(4.5) = 4). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The official window over g groups at `iteration` >= 1: w = max(1, round(g * scale)) groups from start = iteration mod (g - w + 1). */
export function slidingWindow(g: number, iteration: number, scale: number): [lo: number, hi: number] {
  const w = Math.min(g, Math.max(1, roundHalfEven(g * scale)));
  const start = iteration % (g - w + 1);
  return [start, start + w];
}

/**
 * Optimal 1-D k-means of weighted points in increasing order (here: histogram bins; counts > 0, sums = sum of the
 * values in each bin, ideally centred): the partition of [0, b) into g contiguous groups (1 <= g <= b) that
 * minimises the within-group sum of squares, i.e. maximises sum over groups of (group sum)^2 / (group count).
 * Dynamic programming over the groups (Wang & Song 2011, "Ckmeans.1d.dp"), each row by divide and conquer over the
 * monotone optimal split (O(g * b * log b)); ties go to the leftmost split. Returns cuts[0..g]: group t is
 * [cuts[t], cuts[t + 1]), cuts[0] = 0, cuts[g] = b.
 */
export function kmeans1d(counts: ArrayLike<number>, sums: ArrayLike<number>, b: number, g: number): Int32Array {
  const pc = new Float64Array(b + 1);
  const ps = new Float64Array(b + 1);
  for (let j = 0; j < b; j++) {
    pc[j + 1] = pc[j]! + counts[j]!;
    ps[j + 1] = ps[j]! + sums[j]!;
  }
  const cuts = new Int32Array(g + 1);
  cuts[g] = b;
  if (g <= 1) return cuts;
  let prev = new Float64Array(b + 1);
  let cur = new Float64Array(b + 1);
  for (let e = 1; e <= b; e++) prev[e] = (ps[e]! * ps[e]!) / pc[e]!;
  const stride = b + 1;
  const arg = new Int32Array(g * stride);
  let row = 0;
  // cur[e] = best gain of bins [0, e) in row + 1 groups, from prev (row groups) over the last group's start a.
  const solve = (e0: number, e1: number, a0: number, a1: number): void => {
    while (e0 <= e1) {
      const e = (e0 + e1) >> 1;
      let best = -Infinity;
      let bestA = a0;
      const aEnd = Math.min(a1, e - 1);
      const pse = ps[e]!;
      const pce = pc[e]!;
      for (let a = a0; a <= aEnd; a++) {
        const s = pse - ps[a]!;
        const v = prev[a]! + (s * s) / (pce - pc[a]!);
        if (v > best) {
          best = v;
          bestA = a;
        }
      }
      cur[e] = best;
      arg[row * stride + e] = bestA;
      solve(e0, e - 1, a0, bestA); // left half recursively, right half by iteration
      e0 = e + 1;
      a0 = bestA;
    }
  };
  for (row = 1; row < g; row++) {
    // Only the ends that leave room for the remaining groups; the last row needs e = b alone.
    const eHi = b - (g - 1 - row);
    solve(row === g - 1 ? b : row + 1, eHi, row, b - 1);
    const t = prev;
    prev = cur;
    cur = t;
  }
  for (let t = g - 1; t >= 1; t--) cuts[t] = arg[t * stride + cuts[t + 1]!]!;
  return cuts;
}

/** A grouping of some samples: group sizes easy -> hard and, for k-means groupings, their histogram-bin edges. */
export interface Grouping {
  sizes: Float64Array;
  /** edges[t] = first bin of group t, edges[g] = the number of bins; null when the groups are random chunks. */
  edges: Int32Array | null;
}

/** torch.chunk(m items, k) (what the official code does when all scores are equal): chunks of ceil(m / k), the last smaller. */
function chunkGrouping(m: number, k: number): Grouping {
  const c = Math.ceil(m / k);
  const g = Math.ceil(m / c);
  const sizes = new Float64Array(g).fill(c);
  sizes[g - 1] = m - (g - 1) * c;
  return { sizes, edges: null };
}

/**
 * Group the samples histogrammed in (counts, sums)[0, nb) (m samples in all) into min(k, non-empty bins) groups by
 * kmeans1d; all samples in one bin (all scores equal): random chunks as the official code.
 */
function groupHistogram(counts: Uint32Array, sums: Float64Array, nb: number, m: number, k: number): Grouping {
  const binOf = new Int32Array(nb + 1);
  const cc = new Float64Array(nb);
  const cs = new Float64Array(nb);
  let b = 0;
  let total = 0;
  for (let j = 0; j < nb; j++) {
    const c = counts[j]!;
    if (c > 0) {
      binOf[b] = j;
      cc[b] = c;
      cs[b] = sums[j]!;
      total += sums[j]!;
      b++;
    }
  }
  if (b <= 1) return chunkGrouping(m, k);
  binOf[b] = nb;
  const mean = total / m;
  for (let j = 0; j < b; j++) cs[j] = cs[j]! - cc[j]! * mean; // centred sums: better conditioned gains
  const g = Math.min(k, b);
  const cuts = kmeans1d(cc, cs, b, g);
  const sizes = new Float64Array(g);
  const edges = new Int32Array(g + 1);
  for (let t = 0; t < g; t++) {
    edges[t] = binOf[cuts[t]!]!;
    for (let j = cuts[t]!; j < cuts[t + 1]!; j++) sizes[t] = sizes[t]! + cc[j]!;
  }
  edges[g] = nb;
  return { sizes, edges };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The sortable uint32 key (floatBitsToKey) of a number rounded to float32. */
function keyOf(x: number): number {
  f32[0] = x;
  return floatBitsToKey(u32[0]!) >>> 0;
}

/** Smallest and largest score and the number of never-observed ones (NaN) among ids[0, m). */
export interface ScoreRange {
  lo: number;
  hi: number;
  unseen: number;
}

export function scoreRange(last: Float32Array, ids: Uint32Array, m: number): ScoreRange {
  // NaN fails both comparisons and is counted instead.
  let lo = Infinity;
  let hi = -Infinity;
  let unseen = 0;
  for (let j = 0; j < m; j++) {
    const x = last[ids[j]!]!;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
    unseen += +(x !== x);
  }
  return { lo, hi, unseen };
}

/**
 * The marking pass of seta's random pruning (see randomSubset in `seta` below): every id of [0, n) is marked iff its
 * uint32 draw is below the threshold whose int32 bound is `bound` (rng.ts signedBelow); marked ids go to the front
 * of `subset` and the others to its back (branch-free two-stream writes); the range of ALL n scores is written to
 * `range` on the way. Returns the number marked. A top-level function for V8's sake (see compactToBins).
 */
function markSubset(
  last: Float32Array,
  n: number,
  bound: number,
  rng: Rng,
  block: Uint32Array,
  subset: Uint32Array,
  range: ScoreRange,
): number {
  const draws = new Int32Array(block.buffer, block.byteOffset, block.length);
  let a = 0;
  let z = n - 1;
  let lo = Infinity;
  let hi = -Infinity;
  let unseen = 0;
  for (let j0 = 0; j0 < n; j0 += block.length) {
    rng.fill(block);
    const stop = Math.min(block.length, n - j0);
    for (let q = 0; q < stop; q++) {
      const id = j0 + q;
      const take = +((draws[q]! ^ SIGN) <= bound);
      subset[a] = id;
      a += take;
      subset[z] = id;
      z -= 1 - take;
      const x = last[id]!;
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
      unseen += +(x !== x);
    }
  }
  range.lo = lo;
  range.hi = hi;
  range.unseen = unseen;
  return a;
}

/** ids[0, pm) := pm ids drawn uniformly with replacement from [0, n) (floor(draw * n / 2^32), clamped). */
function uniformIds(ids: Uint32Array, pm: number, n: number, rng: Rng): void {
  rng.fill(ids);
  for (let j = 0; j < pm; j++) ids[j] = Math.min(n - 1, Math.floor(ids[j]! * n * 2 ** -32));
}

/**
 * Compact ids[0, m) in place (c <= j, branch-free) to the ids whose bin (bins[j]) is in [binLo, binHi); returns
 * how many. Its own function, like the histogram loops below: V8 then optimizes each hot loop as a whole function
 * instead of by on-stack replacement inside a long one-call-per-epoch function, whose cached OSR code kept
 * deoptimizing on the code after the loop and finishing the selection in the interpreter (~20 young-generation GCs
 * per selection at N ~ 10^6).
 */
function compactToBins(ids: Uint32Array, bins: Uint16Array, m: number, binLo: number, binHi: number): number {
  let c = 0;
  for (let j = 0; j < m; j++) {
    ids[c] = ids[j]!;
    const d = bins[j]! - binLo;
    c += +(d >= 0) & +(d < binHi - binLo);
  }
  return c;
}

/** The histogram pass of groupScores when every score is observed and >= +0: bin = (bits - bits(lo)) >>> shift. */
function binObserved(
  last: Float32Array,
  bits: Uint32Array,
  ids: Uint32Array,
  m: number,
  base: number,
  shift: number,
  counts: Uint32Array,
  sums: Float64Array,
  bins: Uint16Array,
): void {
  for (let j = 0; j < m; j++) {
    const id = ids[j]!;
    const b = (bits[id]! - base) >>> shift;
    counts[b]!++;
    sums[b]! += last[id]!;
    bins[j] = b;
  }
}

/** The general histogram pass of groupScores: sortable keys, never-observed scores (NaN) counted at initValue. */
function binAny(
  last: Float32Array,
  bits: Uint32Array,
  ids: Uint32Array,
  m: number,
  minKey: number,
  initValue: number,
  shift: number,
  counts: Uint32Array,
  sums: Float64Array,
  bins: Uint16Array,
): void {
  const initKey = keyOf(initValue);
  for (let j = 0; j < m; j++) {
    const id = ids[j]!;
    const x = last[id]!;
    const seen = x === x;
    const b = ((seen ? floatBitsToKey(bits[id]!) >>> 0 : initKey) - minKey) >>> shift;
    counts[b]!++;
    sums[b]! += seen ? x : initValue;
    bins[j] = b;
  }
}

/**
 * 1-D k-means of the scores of ids[0, m) (NaN = never observed, counted at initValue) into min(k, distinct bins)
 * groups, easy -> hard; each one's bin goes to bins[0, m). `range` must cover their scores. Histogram: at most
 * 2^BIN_BITS bins over the range of the scores' sortable uint32 keys (floatBitsToKey: order-preserving, so every
 * bin is a contiguous score range, its width relative to the score: narrower near 0 where losses crowd),
 * bin = (key - minKey) >>> shift with the smallest shift that fits; counts and exact float64 sums per bin; then
 * kmeans1d over the non-empty bins.
 */
export function groupScores(
  last: Float32Array,
  bits: Uint32Array,
  ids: Uint32Array,
  m: number,
  range: ScoreRange,
  initValue: number,
  k: number,
  counts: Uint32Array,
  sums: Float64Array,
  bins: Uint16Array,
): Grouping {
  const { lo, minKey, shift, nb, observed } = histogramLayout(range, initValue, counts, sums);
  if (observed) {
    // All observed and >= +0 (observe and load store -0 as +0): key - minKey = bits - bits(lo).
    f32[0] = lo;
    binObserved(last, bits, ids, m, u32[0]!, shift, counts, sums, bins);
  } else {
    binAny(last, bits, ids, m, minKey, initValue, shift, counts, sums, bins);
  }
  return groupHistogram(counts, sums, nb, m, k);
}

/** The histogram's bins for scores in `range` (widened to initValue if some are unseen); zeroes counts and sums. */
function histogramLayout(
  range: ScoreRange,
  initValue: number,
  counts: Uint32Array,
  sums: Float64Array,
): { lo: number; minKey: number; shift: number; nb: number; observed: boolean } {
  let { lo, hi } = range;
  if (range.unseen > 0) {
    lo = Math.min(lo, initValue);
    hi = Math.max(hi, initValue);
  }
  const minKey = keyOf(lo);
  const width = keyOf(hi) - minKey;
  const shift = Math.max(0, 32 - Math.clz32(width) - BIN_BITS);
  const nb = Math.floor(width / 2 ** shift) + 1;
  counts.fill(0, 0, nb);
  sums.fill(0, 0, nb);
  return { lo, minKey, shift, nb, observed: range.unseen === 0 && lo >= 0 };
}

/**
 * groupScores for a subset of distinct ids in random order (ids[0, m), m <= ID_ORDER_MAX), with the same result but
 * no random access to the scores: a bitmap of the members (`member`, ceil(n / 32) words, L2-resident), then one
 * sequential pass over all n ids histograms the members and writes every id's bin to binById. Counts do not depend
 * on the order, and neither do the sums: the scores of one bin are float32s within 2^20 consecutive keys (at most
 * two adjacent binades of one sign, or subnormals), so all are integer multiples of the smallest one's ulp q and
 * below 2^25 q in size; any partial sum of m <= 2^28 of them is then exact in float64, whatever the order. Random
 * reads into 4-byte scores of 10^6 samples are ~10x slower than this at N ~ 10^6 (seta's random pruning leaves
 * its subset in random order whenever it marked too many).
 */
export function groupSubsetById(
  last: Float32Array,
  bits: Uint32Array,
  ids: Uint32Array,
  m: number,
  n: number,
  range: ScoreRange,
  initValue: number,
  k: number,
  counts: Uint32Array,
  sums: Float64Array,
  binById: Uint16Array,
  member: Int32Array,
): Grouping {
  markMembers(ids, m, member);
  const { lo, minKey, shift, nb, observed } = histogramLayout(range, initValue, counts, sums);
  f32[0] = lo;
  const base = observed ? u32[0]! : 0;
  binMembers(last, bits, n, member, observed, base, minKey, initValue, shift, counts, sums, binById);
  return groupHistogram(counts, sums, nb, m, k);
}

/** member := the bitmap of ids[0, m). */
function markMembers(ids: Uint32Array, m: number, member: Int32Array): void {
  member.fill(0);
  for (let j = 0; j < m; j++) {
    const id = ids[j]!;
    member[id >>> 5]! |= 1 << (id & 31);
  }
}

/**
 * The histogram pass of groupSubsetById: every id's bin to binById (as binObserved when `observed`, else binAny),
 * the members' counts and scores added to counts and sums (a non-member adds 0 and ±0: exact no-ops), branch-free.
 */
function binMembers(
  last: Float32Array,
  bits: Uint32Array,
  n: number,
  member: Int32Array,
  observed: boolean,
  base: number,
  minKey: number,
  initValue: number,
  shift: number,
  counts: Uint32Array,
  sums: Float64Array,
  binById: Uint16Array,
): void {
  if (observed) {
    for (let id = 0; id < n; id++) {
      const inSubset = (member[id >>> 5]! >>> (id & 31)) & 1;
      const b = (bits[id]! - base) >>> shift;
      counts[b]! += inSubset;
      sums[b]! += inSubset * last[id]!;
      binById[id] = b;
    }
    return;
  }
  const initKey = keyOf(initValue);
  for (let id = 0; id < n; id++) {
    const inSubset = (member[id >>> 5]! >>> (id & 31)) & 1;
    const x = last[id]!;
    const seen = x === x;
    const b = ((seen ? floatBitsToKey(bits[id]!) >>> 0 : initKey) - minKey) >>> shift;
    counts[b]! += inSubset;
    sums[b]! += inSubset * (seen ? x : initValue);
    binById[id] = b;
  }
}

/** compactToBins with the bins looked up by id (groupSubsetById's binById). */
function compactToBinsById(ids: Uint32Array, binById: Uint16Array, m: number, binLo: number, binHi: number): number {
  let c = 0;
  for (let j = 0; j < m; j++) {
    const id = ids[j]!;
    ids[c] = id;
    const d = binById[id]! - binLo;
    c += +(d >= 0) & +(d < binHi - binLo);
  }
  return c;
}

/**
 * The groups (0 = easiest) the policy's 1-D k-means puts `values` in (NaN = never observed, at initialScore): the
 * same histogram and kmeans1d as a selection; all values in one bin: chunks of ceil(n / k) in index order.
 */
export function kmeansLabels(values: Float32Array, k: number, initialScore = 3): Int32Array {
  const n = values.length;
  const v = values.map((x) => x + 0); // -0 -> +0, as observe() stores it
  const bins = new Uint16Array(n);
  const ids = Uint32Array.from({ length: n }, (_, i) => i);
  const range = scoreRange(v, ids, n);
  const { sizes, edges } = groupScores(
    v,
    new Uint32Array(v.buffer),
    ids,
    n,
    range,
    Math.fround(initialScore) + 0,
    k,
    new Uint32Array(BINS),
    new Float64Array(BINS),
    bins,
  );
  const labels = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    if (edges) while (bins[j]! >= edges[t + 1]!) t++;
    else t = Math.floor(j / sizes[0]!);
    labels[j] = t;
  }
  return labels;
}

/**
 * `seta` (Zhou, Gao & Wang, "Scale Efficient Training for Large Datasets", CVPR 2025, arXiv:2503.13385; official
 * code github.com/mrazhou/SeTa, seta.py). Score of a sample = its last observed training loss (never observed: the
 * `initialScore`, 3 as the official code's initial scores). With k = `groups`, keep = N - floor(pruneRatio * N) and
 * T = floor(δ * totalEpochs) (the official sampler prunes while the 1-based epoch <= δ E), each selection at epoch e:
 * - e >= T ("partial annealing", seta.py SeTa.no_prune): a uniformly random subset of exactly `keep` samples;
 * - e < T, the first selection (official iteration 0, which trains every group): a uniformly random `keep`-subset;
 * - e < T, the i-th selection after it (i = 1, 2, ...): (1) a pilot 1-D k-means (all N scores, or 65,536 drawn
 *   with replacement when N is larger) gives the window's share of the samples: the window is groups [s, s + w)
 *   of the k groups ordered easy -> hard, w = round(k * windowScale) (half to even, as Python), s = i mod
 *   (k - w + 1) (seta.py slide_easy2hard), widened by whole groups (harder side first, then easier) while its
 *   share is below keep / N; (2) random pruning: a uniformly random subset R of m = round(keep / share) samples;
 *   (3) 1-D k-means of R's scores into k groups; (4) the samples of R in the window's groups are trained. So every
 *   selection trains `keep` samples in expectation (exactly, outside the windowed ones): the random-prune share
 *   is calibrated per selection so that the run's average pruned share is pruneRatio; Selection.kept reports the
 *   real count. k-means: the exact optimum of the 1-D objective on a histogram of at most 4,096 bins over the
 *   sortable float keys (kmeans1d): deterministic, no initialisation to seed. Weight 1 (as the official code).
 * Memory: last loss 4 B + subset scratch 4 B + bin scratch 2 B + a subset bitmap 1 bit per sample, + the pilot's ids
 * (4 B each, <= 65,536).
 */
export const seta: Policy<SetaOptions> = {
  name: 'seta',
  summary:
    'random pruning, then a window sliding easy -> hard over k-means loss groups; random subset at the end (Zhou et al.)',
  optionNames: ['groups', 'windowScale', 'delta', 'initialScore'],
  consumes: 'losses',
  defaults: { groups: 10, windowScale: 0.5, delta: 0.875, initialScore: 3 },
  parseOptions(raw) {
    const groups = checkInt('groups', orDefault(raw.groups, 10), 1, MAX_GROUPS);
    const windowScale = checkNumber('windowScale', orDefault(raw.windowScale, 0.5), 0, 1, { minOpen: true });
    if (roundHalfEven(groups * windowScale) < 1) {
      throw new PrunerError(
        'windowScale',
        windowScale,
        `a number in (0, 1] with round(groups * windowScale) >= 1 (groups = ${groups}: > ${0.5 / groups})`,
      );
    }
    const delta = checkNumber('delta', orDefault(raw.delta, 0.875), 0, 1, { minOpen: true });
    const initialScore = checkNumber('initialScore', orDefault(raw.initialScore, 3), -MAX_LOSS, MAX_LOSS);
    return { groups, windowScale, delta, initialScore };
  },
  create(ctx, { groups: k, windowScale, delta, initialScore }) {
    const n = ctx.datasetSize;
    const keep = ctx.keep;
    const sampler = samplerOf(ctx);
    const windowEnd = floorOf(delta, ctx.totalEpochs);
    let last: Float32Array = new Float32Array(n).fill(Number.NaN);
    let bits = new Uint32Array(last.buffer);
    let iteration = 0;
    const initValue = Math.fround(initialScore) + 0;
    const counts = new Uint32Array(BINS);
    const sums = new Float64Array(BINS);
    const binOf = new Uint16Array(n); // each subset entry's histogram bin (scratch)
    const subset = new Uint32Array(n); // the random subset (scratch)
    const block = new Uint32Array(4096);
    const pilotScratch = new Uint32Array(Math.min(n, PILOT)); // the pilot's ids (scratch)
    const member = new Int32Array(Math.ceil(n / 32)); // the random subset as a bitmap (scratch, groupSubsetById)

    /**
     * The random pruning: a uniformly random m-subset of [0, N) into subset[0, m), as sampleSubset (select.ts) but
     * into the scratch array, scanning the range of ALL scores on the way (it covers the subset's: histogram range).
     * Every id is marked with probability ~m/N, marked ones go to the front and the others to the back (branch-free
     * two-stream writes); then a uniformly random m of the marked, or all of them and a uniformly random few of the
     * others, are moved to the front (partial Fisher-Yates): exactly uniform over all m-subsets.
     */
    const randomSubset = (m: number, rng: Rng): { range: ScoreRange; randomOrder: boolean } => {
      // Marked iff draw < floor(m / N * 2^32) (in [1, 2^32]), compared in int32 (rng.ts signedBelow).
      const range: ScoreRange = { lo: Infinity, hi: -Infinity, unseen: 0 };
      const a = markSubset(last, n, signedBelow(Math.floor((m / n) * 4294967296)), rng, block, subset, range);
      fixMarkedCount(subset, a, n, m, rng, sampler);
      // Version 1 with a > m: the m kept are a random permutation of the marked; else mostly in id order.
      return { range, randomOrder: a > m && sampler === 1 };
    };

    const randomKeep = (rng: Rng) => {
      const indices = new Uint32Array(keep);
      sampleSubset(null, 0, n, keep, rng, indices, 0, subset, sampler); // the subset array is free here: scratch
      return { indices };
    };

    const windowed = (rng: Rng, i: number) => {
      // Pilot: k-means of all N scores (N <= 65,536) or of 65,536 drawn uniformly with replacement, for the
      // window's share of the samples.
      const pm = Math.min(n, PILOT);
      const pilotIds = pilotScratch;
      if (pm === n) {
        for (let j = 0; j < n; j++) pilotIds[j] = j;
      } else {
        uniformIds(pilotIds, pm, n, rng);
      }
      const pilot = groupScores(
        last,
        bits,
        pilotIds,
        pm,
        scoreRange(last, pilotIds, pm),
        initValue,
        k,
        counts,
        sums,
        binOf,
      );
      const g = pilot.sizes.length;
      let [lo, hi] = slidingWindow(g, i, windowScale);
      let inWindow = 0;
      for (let t = lo; t < hi; t++) inWindow += pilot.sizes[t]!;
      while (inWindow * n < keep * pm && (hi < g || lo > 0))
        inWindow += hi < g ? pilot.sizes[hi++]! : pilot.sizes[--lo]!;
      // Random pruning, calibrated: E[R ∩ window] = m * inWindow / pm = keep.
      const m = Math.min(n, Math.max(1, Math.round((keep * pm) / inWindow)));
      const { range, randomOrder } = randomSubset(m, rng);
      // k-means of the subset's scores (in id order when the subset is in random order: same groups, faster),
      // then its window groups.
      const byId = randomOrder && m <= ID_ORDER_MAX;
      const sub = byId
        ? groupSubsetById(last, bits, subset, m, n, range, initValue, k, counts, sums, binOf, member)
        : groupScores(last, bits, subset, m, range, initValue, k, counts, sums, binOf);
      const gs = sub.sizes.length;
      if (gs !== g) {
        // Fewer distinct scores in the subset than groups (tiny N): the same window, scaled to its groups.
        const lo2 = Math.floor((lo * gs) / g);
        hi = Math.max(lo2 + 1, Math.ceil((hi * gs) / g));
        lo = lo2;
      }
      let indices: Uint32Array;
      if (sub.edges === null) {
        // Random chunks (all subset scores equal): the window's chunks are a uniformly random subset of R.
        let c = 0;
        for (let t = lo; t < hi; t++) c += sub.sizes[t]!;
        indices = new Uint32Array(c);
        sampleSubset(subset, 0, m, c, rng, indices, 0, undefined, sampler);
      } else {
        const [binLo, binHi] = [sub.edges[lo]!, sub.edges[hi]!];
        const c = byId
          ? compactToBinsById(subset, binOf, m, binLo, binHi)
          : compactToBins(subset, binOf, m, binLo, binHi);
        indices = subset.slice(0, c);
      }
      // An empty window (possible only for tiny N): one random sample, as seta.py.
      return { indices: indices.length > 0 ? indices : Uint32Array.of(rng.int(n)) };
    };

    return {
      bytesPerSample: 10 + (4 * pilotScratch.length + 4 * member.length) / n,
      choose(epoch, rng) {
        if (epoch >= windowEnd) return randomKeep(rng);
        const i = iteration++;
        return i === 0 ? randomKeep(rng) : windowed(rng, i);
      },
      observe(ids, losses) {
        for (let j = 0; j < ids.length; j++) last[ids[j]!] = losses[j]! + 0; // -0 -> +0 (see groupScores)
      },
      scores: () => last.slice(),
      state: () => ({ loss: encodeTyped(last), iteration }),
      load(state) {
        const s = stateObject('seta', state, ['loss', 'iteration']);
        const extra = Object.keys(s).find((key) => key !== 'loss' && key !== 'iteration');
        if (extra !== undefined)
          throw new PrunerError(
            `state.policy.${extra}`,
            s[extra],
            "no such field (the 'seta' state has loss, iteration)",
          );
        const it = checkInt('state.policy.iteration', s.iteration, 0);
        const loss = loadScores('state.policy.loss', s.loss!, n);
        for (let j = 0; j < n; j++) if (loss[j] === 0) loss[j] = 0; // -0 -> +0
        last = loss;
        bits = new Uint32Array(loss.buffer, loss.byteOffset, n);
        iteration = it;
      },
    };
  },
};
