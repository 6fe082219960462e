import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/summary.js';
import { trainStepNote } from './train-steps.js';

const run = (trainSteps?: string[]) => ({ ...(trainSteps ? { trainSteps } : {}) }) as RunSummary;

describe('trainStepNote', () => {
  it('says nothing when every run names the same step, or none does', () => {
    expect(trainStepNote([run(['compiled']), run(['compiled'])])).toBeUndefined();
    expect(trainStepNote([run(), run(['unknown'])])).toBeUndefined();
  });
  it('names each step and its runs when they differ (a run resumed across both counts for each)', () => {
    expect(trainStepNote([run(['compiled']), run(['eager']), run(['compiled', 'eager'])])).toBe(
      'These runs trained with 2 different training steps (compiled: 2 runs; eager: 2 runs), which differ in speed; compare costs within one step (--train-step), or rerun the odd ones.',
    );
  });
  it("counts runs recorded before the step was (no trainSteps, or 'unknown') as unknown, not left out", () => {
    expect(trainStepNote([run(['compiled']), run(), run(['unknown', 'compiled'])])).toBe(
      'These runs trained with 2 different training steps (compiled: 2 runs; unknown: 2 runs), which differ in speed; compare costs within one step (--train-step), or rerun the odd ones.',
    );
  });
});
