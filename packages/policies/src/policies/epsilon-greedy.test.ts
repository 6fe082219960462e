import { describe, expect, it } from 'vitest';
import { createPruner } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing.js';

const N = 200;
const topIds = (scores: Float32Array, g: number) =>
  [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, g);

describe('epsilon-greedy', () => {
  it('chooses at least ceil((1-ε)k) of the top scores, k in all', () => {
    for (const epsilon of [0, 0.1, 0.37, 0.5, 1]) {
      for (const seed of [1, 2, 3]) {
        const p = createPruner({ policy: 'epsilon-greedy', datasetSize: N, pruneRatio: 0.6, totalEpochs: 3, seed, warmupEpochs: 1, epsilon });
        trainEpoch(p, 0, (id) => fakeLoss(seed, id, 0)); // full-data warm-up: every sample observed, distinct scores
        const chosen = new Set(p.select(1).indices);
        const k = 80;
        const g = Math.ceil((1 - epsilon) * k);
        expect(chosen.size).toBe(k);
        for (const id of topIds(p.scores()!, g)) expect(chosen.has(id)).toBe(true);
        if (epsilon === 0) expect([...chosen].sort()).toEqual(topIds(p.scores()!, k).sort());
      }
    }
  });

  it('explores uniformly: each non-greedy sample is drawn with probability (k-g)/(N-g)', () => {
    const counts = new Array(N).fill(0);
    const runs = 300;
    const k = 100;
    const g = 75;
    let greedy: Set<number> | undefined;
    for (let seed = 0; seed < runs; seed++) {
      const p = createPruner({ policy: 'epsilon-greedy', datasetSize: N, pruneRatio: 0.5, totalEpochs: 2, seed, warmupEpochs: 1, epsilon: 0.25 });
      trainEpoch(p, 0, (id) => id); // score = id: the greedy set is ids 125..199
      greedy ??= new Set(topIds(p.scores()!, g));
      for (const id of p.select(1).indices) counts[id]++;
    }
    const p = (k - g) / (N - g);
    for (let id = 0; id < N; id++) {
      if (greedy!.has(id)) expect(counts[id]).toBe(runs);
      else expect(Math.abs(counts[id] / runs - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / runs));
    }
  });

  it('scores are the EMA of the observed losses; never-observed samples are chosen first', () => {
    const p = createPruner({ policy: 'epsilon-greedy', datasetSize: N, pruneRatio: 0.5, totalEpochs: 3, seed: 5, decay: 0.5, epsilon: 0 });
    const first = trainEpoch(p, 0, () => 100); // huge losses on the first half...
    const second = new Set(p.select(1).indices); // ...still lose to the never-observed half
    for (const id of first.indices) expect(second.has(id)).toBe(false);
    p.observe([first.indices[0]!], [0]);
    expect(p.scores()![first.indices[0]!]).toBe(50);
    expect(Number.isNaN(p.scores()![[...second][0]!])).toBe(true);
  });

  it('rejects ε outside [0, 1] and decay outside [0, 1)', () => {
    const base = { policy: 'epsilon-greedy', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
    expect(() => createPruner({ ...base, epsilon: 1.5 })).toThrow('epsilon = 1.5 is invalid: expected a number in [0, 1]');
    expect(() => createPruner({ ...base, epsilon: -0.1 })).toThrow(/epsilon = -0.1/);
    expect(() => createPruner({ ...base, decay: 1 })).toThrow('decay = 1 is invalid: expected a number in [0, 1)');
  });
});
