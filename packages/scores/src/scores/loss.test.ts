import { describe, expect, it } from 'vitest';
import { loss } from './loss.js';

describe('loss', () => {
  it('keeps the latest loss of each sample; unseen samples score 0', () => {
    const t = loss.create(3);
    t.update({ ids: Uint32Array.from([0, 2]), losses: Float32Array.from([1.5, 0.25]) });
    t.update({ ids: Uint32Array.from([2]), losses: Float32Array.from([4]) });
    expect(Array.from(t.values())).toEqual([1.5, 0, 4]);
    expect(Array.from(t.counts())).toEqual([1, 0, 2]);
  });

  it('derives the loss from logits + labels when the step gave only those', () => {
    const t = loss.create(1);
    t.update({ ids: [0], logits: Float32Array.from([0, Math.log(3)]), labels: Int32Array.from([0]), numClasses: 2 });
    expect(t.values()[0]).toBeCloseTo(Math.log(4), 6); // -log(1/4)
  });
});
