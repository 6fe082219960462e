import { describe, expect, it } from 'vitest';
import { createPruner } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing.js';

/** Independent float32 reference of the UCB score: EMA mean/variance (Finch 2009) then m + c sqrt(v). */
function referenceScores(n: number, batches: [number[], number[]][], decay: number, c: number): Float32Array {
  const mean = new Float32Array(n).fill(Number.NaN);
  const variance = new Float32Array(n);
  for (const [ids, losses] of batches) {
    ids.forEach((id, i) => {
      const x = losses[i]!;
      if (Number.isNaN(mean[id])) {
        mean[id] = x;
        variance[id] = 0;
      } else {
        const delta = x - mean[id]!;
        mean[id] = mean[id]! + (1 - decay) * delta;
        variance[id] = decay * (variance[id]! + (1 - decay) * delta * delta);
      }
    });
  }
  return Float32Array.from(mean, (m, i) => m + c * Math.sqrt(variance[i]!));
}

describe('ucb', () => {
  it('keeps exactly the k highest mean + c * std scores', () => {
    const n = 300;
    const batches: [number[], number[]][] = [];
    const p = createPruner({ policy: 'ucb', datasetSize: n, pruneRatio: 0.7, totalEpochs: 6, seed: 3, warmupEpochs: 3, c: 1.5, decay: 0.7 });
    for (let e = 0; e < 3; e++) {
      const sel = p.select(e);
      const ids = [...sel.indices];
      const losses = ids.map((id) => fakeLoss(8, id, e));
      p.observe(ids, losses);
      batches.push([ids, losses]);
    }
    const ref = referenceScores(n, batches, 0.7, 1.5);
    expect(p.scores()).toEqual(ref);
    const top = [...ref.keys()].sort((a, b) => ref[b]! - ref[a]!).slice(0, 90);
    expect([...p.select(3).indices].sort((a, b) => a - b)).toEqual(top.sort((a, b) => a - b));
  });

  it('c trades the mean for the spread: c = 0 picks steady high losses, large c picks noisy ones', () => {
    // ids 0..49: loss always 1.0; ids 50..99: alternating 1.4 / 0.4, ending on 0.4 (lower mean, high variance).
    const pick = (c: number) => {
      const p = createPruner({ policy: 'ucb', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 11, seed: 1, warmupEpochs: 10, c, decay: 0.5 });
      for (let e = 0; e < 10; e++) trainEpoch(p, e, (id, ep) => (id < 50 ? 1 : ep % 2 ? 0.4 : 1.4));
      return [...p.select(10).indices].sort((a, b) => a - b);
    };
    expect(pick(0)).toEqual([...Array(50).keys()]);
    expect(pick(3)).toEqual([...Array(50).keys()].map((i) => i + 50));
  });

  it('ranks never-observed samples first and breaks their ties by seed', () => {
    const sel = (seed: number) => [...createPruner({ policy: 'ucb', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed }).select(0).indices].sort();
    expect(sel(1)).not.toEqual(sel(2));
    const p = createPruner({ policy: 'ucb', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    const first = new Set(trainEpoch(p, 0, () => 50).indices);
    expect(p.select(1).indices.every((id) => !first.has(id))).toBe(true);
  });

  it('rejects c < 0', () => {
    expect(() => createPruner({ policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1, c: -1 })).toThrow(
      'c = -1 is invalid: expected a number in [0, inf)',
    );
  });
});
