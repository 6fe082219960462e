/**
 * The defaults of the pruner options every policy takes (createPruner's `interval`, `warmupEpochs`, `annealEpochs`),
 * as data: re-select every epoch, no full-data warm-up or anneal epochs.
 */
export const COMMON_OPTION_DEFAULTS: Readonly<{ interval: number; warmupEpochs: number; annealEpochs: number }> =
  Object.freeze({ interval: 1, warmupEpochs: 0, annealEpochs: 0 });
