import { samplerOf } from '../sampler.js';
import { decodeFloat32, decodeUint32, encodeTyped } from '../codec.js';
import { checkInt, checkNumber, orDefault, PrunerError } from '../errors.js';
import { sampleSubset } from '../select.js';
import type { Json, Policy } from '../types.js';
import { MAX_LOSS } from '../validate.js';

export interface RepbOptions {
  /** W: observe() batches per local window (losses are compared only within their window). Integer >= 1. Default 1. */
  window: number;
  /** Upper clip of the cumulative temporal weight E / N_i, a number >= 1. Default 10 (our choice; docs/repb.md). */
  maxWeight: number;
}

/** Per-sample flag byte: bits 0-1 the window outcome since the last re-selection, bit 2 "in the last subset". */
const UNUSED = 0; // not observed since the last re-selection (or never)
const BELOW = 1; // last observation below its window's mean
const ABOVE = 2; // last observation at or above its window's mean
const OUTCOME = 3;
const SELECTED = 4;

const DEFAULT_WINDOW = 1;
const DEFAULT_MAX_WEIGHT = 10;
const STATE_KEYS = ['epochs', 'last', 'counts', 'flags', 'window'] as const;
const WINDOW_KEYS = ['batches', 'size', 'ids', 'losses'] as const;

/**
 * `repb` (Zhou et al., "Inconsistency Biases in Dynamic Data Pruning", ICLR 2026: RePB, Resolving Pruning Biases).
 * Three parts, made to drop exactly d = floor(pruneRatio * N) samples at every re-selection (Selection.kept = k):
 * 1. Local window pruning. observe() batches are grouped into consecutive, non-overlapping windows of W
 *    non-empty batches (counted from the last re-selection; an unfinished window is closed at the next one). When a
 *    window closes, every loss in it (rounded to float32) is compared with the window's mean (float64 mean of those
 *    float32 losses): below it, the sample is a prune candidate; at or above it, the sample is kept for sure. A
 *    sample observed twice keeps its last outcome. Losses are never compared across windows.
 * 2. Uniform resampling. The pool P = the prune candidates plus every sample not observed since the last
 *    re-selection (never observed included: the paper's D \ D_E, the samples not trained last epoch). RePB drops
 *    each member of P with probability ρ (a below-mean sample is dropped w.p. ρ, an unused one put back w.p. 1 − ρ);
 *    here exactly d members are dropped, a uniformly random d-subset of P (sampleSubset), so ρ = d / |P|. If
 *    |P| < d (only after full-data epochs or very high ratios), all of P is dropped plus a uniformly random
 *    d − |P| of the sure samples.
 * 3. Cumulative temporal reweighting. A kept sample's loss weight is min(E / N_i, maxWeight) (float32), with
 *    E the epochs so far, this one included (epoch + 1 when select() is called epoch after epoch), and N_i the
 *    epochs in which it was in the training list, this one included (warm-up epochs before the first re-selection
 *    count for everyone, every epoch of an interval for the members of its subset). N_i <= E, so weights lie in
 *    [1, maxWeight]; the weights of a subset are fixed when it is chosen (for its whole interval).
 * Defaults W = 1 (the paper's default: scores computed before any update inside the window), maxWeight = 10 (our
 * choice: the paper does not clip). The paper trains all data in its first epoch; warmupEpochs: 1 does the same.
 * Memory: flags 1 B + selection count 4 B + two id scratch arrays 8 B per sample, plus the open window's ids and
 * losses (8 B per buffered loss).
 */
export const repb: Policy<RepbOptions> = {
  name: 'repb',
  summary:
    'drop samples below their local-window mean loss or left out last time (uniformly, exactly d), weight epochs / times selected (Zhou et al.)',
  optionNames: ['window', 'maxWeight'],
  consumes: 'losses',
  // The one recommended built-in (metadata.test.ts): the evidence and the limits are in docs/repb.md.
  recommended:
    'the highest mean validation accuracy of the pruning policies in the Fashion-MNIST screening at 50% pruned (5 seeds: +0.12 points vs full data, 95% interval [-0.14, +0.37]), never resolved below full data at 50% or 70%',
  defaults: { window: 1, maxWeight: 10 },
  parseOptions: (raw) => ({
    window: checkInt('window', orDefault(raw.window, DEFAULT_WINDOW), 1),
    maxWeight: checkNumber('maxWeight', orDefault(raw.maxWeight, DEFAULT_MAX_WEIGHT), 1, Infinity),
  }),
  create(ctx, { window, maxWeight }) {
    const n = ctx.datasetSize;
    const words = Math.ceil(n / 4);
    /** Flag bytes, padded to whole uint32 words so the state can encode them with encodeTyped. */
    let flags: Uint8Array = new Uint8Array(words * 4);
    /** N_i over the credited epochs [0, epochs). */
    let counts: Uint32Array = new Uint32Array(n);
    /** Epochs credited to the counts: all epochs before the last re-selection. */
    let epochs = 0;
    /** Epoch of the last re-selection, -1 before the first. */
    let last = -1;
    // The open window: ids and float32 losses of its batches so far.
    let winIds: Uint32Array = new Uint32Array(0);
    let winLoss: Float32Array = new Float32Array(0);
    let winSize = 0;
    let winBatches = 0;
    // Scratch of a selection (ids split into sure and pool, and the pool draw's), kept so that a selection
    // allocates no N-sized array.
    const orderScratch = new Uint32Array(n);
    const sampleScratch = new Uint32Array(n);

    /** Decide the outcome of every entry of one closed window against the window's mean. */
    const decide = (ids: ArrayLike<number>, losses: ArrayLike<number>, m: number): void => {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += Math.fround(losses[j]!);
      const mean = sum / m;
      const fl = flags;
      for (let j = 0; j < m; j++) {
        const id = ids[j]!;
        fl[id] = (fl[id]! & SELECTED) | (BELOW + +!(Math.fround(losses[j]!) < mean));
      }
    };
    const closeWindow = (): void => {
      if (winSize > 0) decide(winIds, winLoss, winSize);
      winSize = 0;
      winBatches = 0;
    };

    return {
      bytesPerSample: 13,
      choose(epoch, rng) {
        closeWindow();
        // Credit the epochs since the last re-selection: to everyone before the first one (full-data warm-up
        // epochs), to the members of the last subset after that.
        const first = last < 0 ? 1 : 0;
        const span = first ? epoch : Math.max(0, epoch - last);
        epochs += span;
        // One branch-free pass: credit counts, split ids into sure (front, increasing) and pool (back, decreasing).
        const order = orderScratch;
        const fl = flags;
        const cnt = counts;
        let a = 0;
        let z = n - 1;
        for (let i = 0; i < n; i++) {
          const f = fl[i]!;
          cnt[i] = cnt[i]! + (first | (f >>> 2)) * span;
          fl[i] = UNUSED;
          const sure = +((f & OUTCOME) === ABOVE);
          order[a] = i;
          a += sure;
          order[z] = i;
          z -= 1 - sure;
        }
        const k = ctx.keep;
        // Keep every sure sample and a uniform (|P| - d)-subset of the pool; or, if the sure ones alone exceed k,
        // a uniform k-subset of them.
        const indices = new Uint32Array(k);
        if (a <= k) {
          indices.set(order.subarray(0, a));
          sampleSubset(order, a, n, k - a, rng, indices, a, sampleScratch, samplerOf(ctx));
        } else {
          sampleSubset(order, 0, a, k, rng, indices, 0, sampleScratch, samplerOf(ctx));
        }
        const weights = new Float32Array(k);
        const e = epochs + 1;
        for (let j = 0; j < k; j++) {
          const id = indices[j]!;
          fl[id] = SELECTED;
          weights[j] = Math.min(e / (cnt[id]! + 1), maxWeight);
        }
        last = epoch;
        return { indices, weights };
      },
      observe(ids, losses) {
        const m = ids.length;
        if (m === 0) return;
        if (window === 1) {
          decide(ids, losses, m);
          return;
        }
        if (winSize + m > winIds.length) {
          const cap = Math.max(2 * winIds.length, winSize + m);
          const grownIds = new Uint32Array(cap);
          grownIds.set(winIds.subarray(0, winSize));
          const grownLoss = new Float32Array(cap);
          grownLoss.set(winLoss.subarray(0, winSize));
          winIds = grownIds;
          winLoss = grownLoss;
        }
        for (let j = 0; j < m; j++) {
          winIds[winSize + j] = ids[j]!;
          winLoss[winSize + j] = losses[j]!;
        }
        winSize += m;
        if (++winBatches === window) closeWindow();
      },
      state: (): Json => ({
        epochs,
        last: last < 0 ? null : last,
        counts: encodeTyped(counts),
        flags: encodeTyped(new Uint32Array(flags.buffer)),
        window: {
          batches: winBatches,
          size: winSize,
          ids: encodeTyped(winIds.subarray(0, winSize)),
          losses: encodeTyped(winLoss.subarray(0, winSize)),
        },
      }),
      load(state) {
        // Validate everything first; assign only at the end.
        const s = exactObject('state.policy', state, STATE_KEYS);
        const ep = checkInt('state.policy.epochs', s.epochs, 0, 2 ** 32 - 1);
        const lastIn = s.last === null ? -1 : checkInt('state.policy.last', s.last, 0, ctx.totalEpochs - 1);
        if (lastIn < 0 && ep !== 0)
          throw new PrunerError('state.policy.epochs', ep, '0 while state.policy.last is null (no re-selection yet)');
        const cnt = decodeUint32('state.policy.counts', s.counts, n);
        for (let i = 0; i < n; i++) {
          if (cnt[i]! > ep)
            throw new PrunerError(
              `state.policy.counts[${i}]`,
              cnt[i],
              `an integer in [0, ${ep}] (at most state.policy.epochs)`,
            );
        }
        const fl = new Uint8Array(decodeUint32('state.policy.flags', s.flags, words).buffer);
        const selectable = lastIn >= 0 ? SELECTED : 0;
        for (let i = 0; i < fl.length; i++) {
          const b = fl[i]!;
          const ok = i < n ? (b & ~(OUTCOME | selectable)) === 0 && (b & OUTCOME) !== OUTCOME : b === 0;
          if (!ok) {
            const allowed =
              i >= n
                ? '0 (padding)'
                : lastIn >= 0
                  ? 'a flag byte in {0, 1, 2, 4, 5, 6}'
                  : 'a flag byte in {0, 1, 2} (no re-selection yet)';
            throw new PrunerError(`state.policy.flags[${i}]`, b, allowed);
          }
        }
        const w = exactObject('state.policy.window', s.window!, WINDOW_KEYS);
        const batches = checkInt('state.policy.window.batches', w.batches, 0, window - 1);
        const size =
          batches === 0
            ? checkInt('state.policy.window.size', w.size, 0, 0)
            : checkInt('state.policy.window.size', w.size, batches, 2 ** 32 - 1);
        const ids = decodeUint32('state.policy.window.ids', w.ids, size);
        const losses = decodeFloat32('state.policy.window.losses', w.losses, size);
        for (let j = 0; j < size; j++) {
          if (ids[j]! >= n)
            throw new PrunerError(`state.policy.window.ids[${j}]`, ids[j], `an integer in [0, ${n - 1}]`);
          const x = losses[j]!;
          if (!(x <= MAX_LOSS && x >= -MAX_LOSS))
            throw new PrunerError(
              `state.policy.window.losses[${j}]`,
              x,
              `a finite number in [-${MAX_LOSS}, ${MAX_LOSS}]`,
            );
        }
        epochs = ep;
        last = lastIn;
        counts = cnt;
        flags = fl;
        winIds = ids;
        winLoss = losses;
        winSize = size;
        winBatches = batches;
      },
    };
  },
};

/** The saved state must be a plain object with exactly these keys (a missing or unknown key throws). */
function exactObject(field: string, value: Json, keys: readonly string[]): Record<string, Json> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PrunerError(field, value, `an object with ${keys.join(', ')} (the 'repb' policy's state)`);
  for (const key of keys)
    if (!(key in value))
      throw new PrunerError(`${field}.${key}`, undefined, `present (the 'repb' policy's state has ${keys.join(', ')})`);
  for (const key of Object.keys(value))
    if (!keys.includes(key))
      throw new PrunerError(
        `${field}.${key}`,
        value[key],
        `no such field (the 'repb' policy's state has ${keys.join(', ')})`,
      );
  return value;
}
