import { UNKNOWN_TRAIN_STEP, type RunSummary } from '../run/summary.js';

/**
 * A note for reports whose runs trained with different training steps (compiled graph vs eager tfjs ops; a run
 * resumed across two counts for each): the same update up to float32 rounding, but not the same speed, so their
 * wall-clock costs are not comparable as one implementation's. A run recorded before the step was (2026-12-07: no
 * `trainSteps`, or 'unknown' among them) counts as 'unknown'. Undefined when every run names the same step.
 */
export function trainStepNote(runs: RunSummary[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of runs)
    for (const s of r.trainSteps?.length ? r.trainSteps : [UNKNOWN_TRAIN_STEP]) counts.set(s, (counts.get(s) ?? 0) + 1);
  if (counts.size < 2) return undefined;
  const list = [...counts].map(([step, n]) => `${step}: ${n} run${n === 1 ? '' : 's'}`).join('; ');
  return `These runs trained with ${counts.size} different training steps (${list}), which differ in speed; compare costs within one step (--train-step), or rerun the odd ones.`;
}
