import { PrunerError } from './errors.js';

/**
 * The largest loss magnitude observe() accepts. The policies keep their statistics in float32 (max ~3.4e38), and
 * UCB's variance squares deviations: 1e15 keeps every statistic finite, so a saved state always loads again. A loss
 * beyond it means the run has diverged (cross-entropy of a float32 softmax stays below ~104).
 */
export const MAX_LOSS = 1e15;
const LOSS_RANGE = `a finite number in [-${MAX_LOSS}, ${MAX_LOSS}] (a larger loss overflows the float32 statistics: has the run diverged?)`;

/**
 * Check one observe() batch completely before anything is updated: same lengths, integer ids in [0, n), losses
 * in [-MAX_LOSS, MAX_LOSS] (NaN fails both comparisons). Typed arrays take branch-free fast paths (Uint32Array ids
 * need only the upper bound).
 */
export function checkBatch(sampleIds: ArrayLike<number>, losses: ArrayLike<number>, n: number): void {
  if (sampleIds == null || typeof sampleIds.length !== 'number')
    throw new PrunerError('sampleIds', sampleIds, 'an array or typed array of sample ids');
  if (losses == null || typeof losses.length !== 'number')
    throw new PrunerError('losses', losses, 'an array or typed array of losses');
  const m = sampleIds.length;
  if (losses.length !== m) throw new PrunerError('losses.length', losses.length, `the same length as sampleIds (${m})`);
  let bad = -1;
  if (sampleIds instanceof Uint32Array && losses instanceof Float32Array) {
    // The common case (what a tfjs training step hands back), both checks in one pass.
    for (let i = 0; i < m; i++)
      if (sampleIds[i]! >= n || !(losses[i]! <= MAX_LOSS && losses[i]! >= -MAX_LOSS)) {
        bad = i;
        break;
      }
    if (bad < 0) return;
    if (sampleIds[bad]! < n) throw new PrunerError(`losses[${bad}]`, losses[bad], LOSS_RANGE);
  } else if (sampleIds instanceof Uint32Array) {
    for (let i = 0; i < m; i++)
      if (sampleIds[i]! >= n) {
        bad = i;
        break;
      }
  } else if (sampleIds instanceof Int32Array) {
    for (let i = 0; i < m; i++) {
      const id = sampleIds[i]!;
      if (id < 0 || id >= n) {
        bad = i;
        break;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const id = sampleIds[i];
      if (!Number.isInteger(id) || id! < 0 || id! >= n) {
        bad = i;
        break;
      }
    }
  }
  if (bad >= 0) throw new PrunerError(`sampleIds[${bad}]`, sampleIds[bad], `an integer in [0, ${n - 1}]`);
  if (losses instanceof Float32Array || losses instanceof Float64Array) {
    for (let i = 0; i < m; i++) {
      const x = losses[i]!;
      if (!(x <= MAX_LOSS && x >= -MAX_LOSS)) {
        bad = i;
        break;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const x = losses[i];
      if (typeof x !== 'number' || !(x <= MAX_LOSS && x >= -MAX_LOSS)) {
        bad = i;
        break;
      }
    }
  }
  if (bad >= 0) throw new PrunerError(`losses[${bad}]`, losses[bad], LOSS_RANGE);
}
