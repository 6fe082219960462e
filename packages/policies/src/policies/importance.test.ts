import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing.js';

describe('importance', () => {
  it('favours high-loss samples and weights them 1/p: the weighted loss is unbiased', () => {
    const n = 200;
    // A fixed loss per sample; 20 hard samples (loss 3) among easy ones (0.05-0.35).
    const loss = (id: number) => (id < 20 ? 3 : 0.05 + 0.075 * fakeLoss(4, id, 0));
    const fullMean = Array.from({ length: n }, (_, id) => loss(id)).reduce((a, b) => a + b, 0) / n;
    let estimate = 0;
    let hardShare = 0;
    let maxWeight = 0;
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const p = createPruner({ policy: 'importance', datasetSize: n, pruneRatio: 0.8, totalEpochs: 2, seed, warmupEpochs: 1, mix: 0.5 });
      trainEpoch(p, 0, (id) => loss(id)); // full-data warm-up: every loss observed once
      const sel = p.select(1);
      expect(sel.indices.length).toBe(40);
      let s = 0;
      sel.indices.forEach((id, j) => {
        s += sel.weights[j]! * loss(id);
        maxWeight = Math.max(maxWeight, sel.weights[j]!);
        if (id < 20) hardShare += 1 / (40 * runs);
      });
      estimate += s / 40 / runs;
    }
    // Uniform sampling would put 10% of the places on the hard samples; the scores put far more there.
    expect(hardShare).toBeGreaterThan(0.3);
    expect(maxWeight).toBeLessThanOrEqual(1 / 0.5 + 1e-6);
    // Horvitz-Thompson: E[Σ w·loss / k] = mean loss over all samples (400 draws: within 3%).
    expect(Math.abs(estimate / fullMean - 1)).toBeLessThan(0.03);
  });

  it('keeps finite weights and Σp = k at the extremes: the smallest mix, a huge c, one dominant sample', () => {
    const p = createPruner({ policy: 'importance', datasetSize: 3, pruneRatio: 0.34, totalEpochs: 3, seed: 1, warmupEpochs: 1, mix: 0.001, c: 1e308 });
    trainEpoch(p, 0, (id) => (id === 0 ? 1 : 0));
    trainEpoch(p, 1, (id) => (id === 0 ? 100 : 0)); // variance: c·std overflows float64
    const sel = p.select(2);
    expect(sel.indices.length).toBe(2);
    for (const w of sel.weights) expect(Number.isFinite(w) && w > 0 && w <= 1000).toBe(true);
    expect(new Set(sel.indices).size).toBe(2);
  });

  it('is uniform with weight 1 before any loss is observed', () => {
    const p = createPruner({ policy: 'importance', datasetSize: 50, pruneRatio: 0.6, totalEpochs: 1, seed: 2 });
    const sel = p.select(0);
    expect(sel.indices.length).toBe(20);
    expect([...sel.weights].every((w) => Math.abs(w - 1) < 1e-6)).toBe(true);
  });

  it('validates its options, naming the field and range', () => {
    const base = { policy: 'importance', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 1, seed: 0 };
    expect(() => createPruner({ ...base, mix: 0 })).toThrow(PrunerError);
    expect(() => createPruner({ ...base, mix: 0 })).toThrow(/mix = 0 is invalid: expected a number in \[0.001, 1\]/);
    expect(() => createPruner({ ...base, c: -1 })).toThrow(/c.*\[0, inf\)/);
  });
});
