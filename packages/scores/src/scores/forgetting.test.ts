import { describe, expect, it } from 'vitest';
import { ForgettingTracker, forgetting } from './forgetting.js';

describe('forgetting', () => {
  it('counts correct -> incorrect transitions; never-learned samples rank highest (hand-checked)', () => {
    const t = forgetting.create(4) as ForgettingTracker;
    // sample 0: 1 0 1 0 -> 2 events; sample 1: 0 1 1 1 -> 0 events (learned); sample 2: 0 0 0 0 -> never learned;
    // sample 3: never seen -> never learned.
    const epochs = [
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
      [0, 1, 0],
    ];
    epochs.forEach((c, epoch) => t.update({ ids: [0, 1, 2], correct: Uint8Array.from(c), epoch }));
    expect(Array.from(t.forgettingEvents())).toEqual([2, 0, 0, 0]);
    expect(Array.from(t.everLearned())).toEqual([1, 1, 0, 0]);
    expect(Array.from(t.values())).toEqual([2, 0, 3, 3]);
  });

  it('derives correctness from logits + labels (argmax)', () => {
    const t = forgetting.create(1);
    t.update({ ids: [0], logits: [2, 0], labels: [0], numClasses: 2 });
    t.update({ ids: [0], logits: [0, 2], labels: [0], numClasses: 2 });
    expect(t.values()[0]).toBe(1);
  });
});
