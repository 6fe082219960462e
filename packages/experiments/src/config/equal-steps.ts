import { getPolicy, keepCount, PrunerError } from '@dp/policies';

/** Whether `policy` is the registered full-data baseline (declares `baseline: true`); an unknown name is not. */
function isFullData(policy: string): boolean {
  try {
    return getPolicy(policy).baseline === true;
  } catch (e) {
    if (e instanceof PrunerError) return false;
    throw e;
  }
}

/**
 * The equal-steps baseline ("budgeted training", Li, Yumer & Ramanan, ICLR 2020): full data trained for the number of
 * optimizer steps a pruned run takes, i.e. ⌈(1 − r)·E⌉ epochs of all the data, with the learning-rate schedule
 * (warm-up share, cosine, ...) laid on that shorter run. What a user could do without any pruning library.
 *
 * It is a method name, not a pruning policy: `--policy equal-steps --prune-ratio r --epochs E` (and `equal-steps` in
 * `--policies`) is resolved when the run config is validated into what is really trained, policy 'full' for
 * ⌈(1 − r)·E⌉ epochs, plus the field `equalSteps: { epochs: E, pruneRatio: r }` that records whose baseline the run
 * is. So the trainer, checkpoints, resume and ETAs see an ordinary full-data run, while the config (and the key of the
 * run, which includes the field) says what it stands for, and `dp report` compares it with the pruned runs of E epochs
 * at ratio r.
 */
export const EQUAL_STEPS = 'equal-steps';

/** The pruned setting an equal-steps run is the baseline of: their epochs E and prune ratio r. */
export interface EqualStepsOf {
  epochs: number;
  pruneRatio: number;
}

/**
 * ⌈(1 − r)·E⌉ = E − ⌊r·E⌋ epochs: the share of the epochs a fixed-size policy keeps of the samples (keepCount, with
 * its snapping, so that 0.7 of 80 epochs prunes 56 of them and leaves 24, not 25 from 0.3·80 = 24.000000000000004).
 */
export function equalStepsEpochs(epochs: number, pruneRatio: number): number {
  return keepCount(pruneRatio, epochs);
}

/** A run's method in words: 'full', 'random @ 0.5', 'equal-steps @ 0.5 (full data, 40 of 80 epochs)'. */
export function describeMethod(cfg: {
  policy: string;
  pruneRatio: number;
  epochs: number;
  equalSteps?: EqualStepsOf | null;
}): string {
  if (cfg.equalSteps)
    return `${EQUAL_STEPS} @ ${cfg.equalSteps.pruneRatio} (full data, ${cfg.epochs} of ${cfg.equalSteps.epochs} epochs)`;
  return isFullData(cfg.policy) ? cfg.policy : `${cfg.policy} @ ${cfg.pruneRatio}`;
}

/** The method part of a run directory's name: 'full', 'random-r0.5', 'equal-steps-r0.5'. */
export function methodTag(cfg: { policy: string; pruneRatio: number; equalSteps?: EqualStepsOf | null }): string {
  if (cfg.equalSteps) return `${EQUAL_STEPS}-r${cfg.equalSteps.pruneRatio}`;
  return `${cfg.policy}${isFullData(cfg.policy) ? '' : `-r${cfg.pruneRatio}`}`;
}
