import { describe, expect, it } from 'vitest';
import { createPruner } from '../index.js';

describe('random', () => {
  it('includes every sample with probability k/N (chi-square over 400 selections)', () => {
    const n = 50;
    const epochs = 400;
    const p = createPruner({ policy: 'random', datasetSize: n, pruneRatio: 0.6, totalEpochs: epochs, seed: 9 });
    const counts = new Array(n).fill(0);
    for (let e = 0; e < epochs; e++) for (const id of p.select(e).indices) counts[id]++;
    const expected = (epochs * 20) / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(85.4); // p = 0.001 at 49 degrees of freedom
  });

  it('ignores observed losses: the same selections with or without observations', () => {
    const config = { policy: 'random', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 3, seed: 4 };
    const a = createPruner(config);
    const b = createPruner(config);
    for (let e = 0; e < 3; e++) {
      const sel = a.select(e);
      a.observe(
        sel.indices,
        Float32Array.from(sel.indices, (id) => id),
      );
      expect(b.select(e)).toEqual(sel);
    }
  });
});
