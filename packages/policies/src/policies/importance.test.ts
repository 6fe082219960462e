import { describe, expect, it } from 'vitest';
import { hashFloat32 } from '../codec.js';
import { createPruner, PrunerError, type PrunerConfig } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing/helpers.js';

/** Hash of every epoch's selection (ids and weights, bit for bit) of a run trained on `loss`. */
function runHash(config: PrunerConfig, loss: (id: number, epoch: number) => number): string {
  const p = createPruner(config);
  const words: number[] = [];
  for (let e = 0; e < config.totalEpochs; e++) {
    const sel = trainEpoch(p, e, loss);
    words.push(...sel.indices, ...new Uint32Array(sel.weights.buffer, sel.weights.byteOffset, sel.weights.length));
  }
  const all = Uint32Array.from(words);
  return hashFloat32(new Float32Array(all.buffer));
}

/** runHash of the cases of the pinning test below, recorded with the code before the speed-up. */
const PINNED = [
  'f32:5000:67ed882841419b37',
  'f32:5444:d01ea8a6eef868b2',
  'f32:2400:5d7dc7f62590fbee',
  'f32:900:9ac5a9069841d88b',
  'f32:1244:6eca8f6f8d660668',
];

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
      const p = createPruner({
        policy: 'importance',
        datasetSize: n,
        pruneRatio: 0.8,
        totalEpochs: 2,
        seed,
        warmupEpochs: 1,
        mix: 0.5,
      });
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
    const p = createPruner({
      policy: 'importance',
      datasetSize: 3,
      pruneRatio: 0.34,
      totalEpochs: 3,
      seed: 1,
      warmupEpochs: 1,
      mix: 0.001,
      c: 1e308,
    });
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

  it('selections are pinned: the same seed and losses give the same ids and weights, bit for bit', () => {
    // Hashes recorded before the selection speed-up (session 9): a faster select() must not change any selection.
    const base = { policy: 'importance' as const, totalEpochs: 6, seed: 7 };
    const cases: [PrunerConfig, (id: number, epoch: number) => number][] = [
      // Defaults, every sample observed in a full-data warm-up, then re-selection every epoch.
      [{ ...base, datasetSize: 1000, pruneRatio: 0.7, warmupEpochs: 1 }, (id, e) => fakeLoss(1, id, e)],
      // Not a multiple of the 64-id block; a small mix and a large c with heavy outliers: several capping rounds.
      [
        { ...base, datasetSize: 777, pruneRatio: 0.5, warmupEpochs: 1, mix: 0.02, c: 3, decay: 0.5 },
        (id, e) => (id % 50 === 0 ? 40 : 0) + fakeLoss(2, id, e),
      ],
      // No warm-up: never-observed samples take the highest observed score; interval 2.
      [{ ...base, datasetSize: 500, pruneRatio: 0.6, interval: 2, seed: -3 }, (id, e) => fakeLoss(3, id, e) ** 3],
      // Negative (custom) losses count as 0; the smallest mix; c = 0.
      [
        { ...base, datasetSize: 300, pruneRatio: 0.9, warmupEpochs: 1, mix: 0.001, c: 0, decay: 0 },
        (id, e) => fakeLoss(4, id, e) - 2,
      ],
      // Ties and all-equal scores.
      [{ ...base, datasetSize: 129, pruneRatio: 0.3, warmupEpochs: 2, mix: 0.3 }, (id) => id % 3],
    ];
    expect(cases.map(([config, loss]) => runHash(config, loss))).toEqual(PINNED);
  });

  it('validates its options, naming the field and range', () => {
    const base = { policy: 'importance', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 1, seed: 0 };
    expect(() => createPruner({ ...base, mix: 0 })).toThrow(PrunerError);
    expect(() => createPruner({ ...base, mix: 0 })).toThrow(/mix = 0 is invalid: expected a number in \[0.001, 1\]/);
    expect(() => createPruner({ ...base, c: -1 })).toThrow(/c.*\[0, inf\)/);
  });
});
