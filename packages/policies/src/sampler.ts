import { PrunerError } from './errors.js';

/**
 * The selection-algorithm version ("sampler") a pruner selects with. Given the same config, seed and observations,
 * two versions choose equally distributed subsets and orders, but not the same ones:
 *  - 1: the algorithm of every state written before versions existed (a saved state without `sampler`). A run that
 *    resumes from such a checkpoint keeps selecting with it, bit for bit (the selection pins of version 1).
 *  - 2: sampleSubset drops only the surplus of an over-marked draw (see select.ts and each policy's method card).
 *  - 3: version 2's subsets, and the epoch order of lists of 2^19 ids or more (full-data epochs, InfoBatch's kept
 *    list at ImageNet scale) shuffled by scatterShuffle (scatter-shuffle.ts: counted labels, 16-bit draws two to a
 *    word) instead of shuffledCopy. Every new pruner selects with it and writes `sampler: 3` into its state.
 * Versions 2 and 3 resume bit for bit with their own algorithms too (pinned in selection-pins.test.ts).
 */
export type SamplerVersion = 1 | 2 | 3;

/** Every version a saved state may name. */
export const SAMPLER_VERSIONS: readonly SamplerVersion[] = [1, 2, 3];

/** The version of new pruners. */
export const LATEST_SAMPLER: SamplerVersion = 3;

/**
 * The version a saved state selects with: its `sampler` field, or 1 when it has none (every state written before
 * versions existed). Anything else is a PrunerError naming the field. A state that is not an object is left to the
 * pruner's own checks (version 1 here).
 */
export function savedSampler(saved: unknown): SamplerVersion {
  if (saved === null || typeof saved !== 'object' || !('sampler' in saved)) return 1;
  const value = (saved as { sampler: unknown }).sampler;
  if (value === 1 || value === 2 || value === 3) return value;
  throw new PrunerError(
    'state.sampler',
    value,
    `one of ${SAMPLER_VERSIONS.join(', ')} (absent means 1: a state written before selection versions)`,
    'pass the state Pruner.state() returned, unchanged; a state from a newer @dp/policies needs that version to resume',
  );
}

/** The version a policy chooses with under `ctx` (PolicyContext.sampler; absent means the latest). */
export function samplerOf(ctx: { readonly sampler?: SamplerVersion }): SamplerVersion {
  return ctx.sampler ?? LATEST_SAMPLER;
}
