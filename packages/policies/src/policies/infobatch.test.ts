import { describe, expect, it } from 'vitest';
import { createPruner } from '../index.js';
import { fakeLoss, trainEpoch } from '../testing/helpers.js';

const N = 400;
const loss = (id: number) => fakeLoss(21, id, 0);

/** A pruner that has observed `loss` for every sample (epoch 0 prunes nothing: no sample observed yet). */
function observed(seed: number, r = 0.5, extra: Record<string, unknown> = {}) {
  const p = createPruner({ policy: 'infobatch', datasetSize: N, pruneRatio: r, totalEpochs: 8, seed, ...extra });
  const first = trainEpoch(p, 0, loss);
  expect(first.kept).toBe(N);
  return p;
}

describe('infobatch', () => {
  const losses = Float32Array.from({ length: N }, (_, i) => loss(i));
  const mean = losses.reduce((s, x) => s + x, 0) / N;

  it('drops only below-mean samples, weights kept ones 1/(1-r), and reports the varying count', () => {
    const kepts = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const sel = observed(seed, 0.7).select(1);
      const kept = new Set(sel.indices);
      expect(sel.kept).toBe(sel.indices.length);
      kepts.add(sel.kept);
      for (let id = 0; id < N; id++) if (losses[id]! >= mean) expect(kept.has(id)).toBe(true);
      sel.indices.forEach((id, j) => expect(sel.weights[j]).toBe(losses[id]! < mean ? Math.fround(1 / 0.3) : 1));
    }
    expect(kepts.size).toBeGreaterThan(3);
  });

  it('at the ends of the drop probability: r = 0 drops nothing, r within 2^-32 of 1 drops every below-mean sample', () => {
    // The drop test is x < ceil(r * 2^32) on uint32 draws: t = 0 and t = 2^32 are its edge thresholds.
    for (let seed = 0; seed < 5; seed++) {
      expect(observed(seed, 0).select(1).kept).toBe(N);
      const top = observed(seed, 1 - 2 ** -33).select(1);
      expect(new Set(top.indices)).toEqual(
        new Set(Array.from({ length: N }, (_, id) => id).filter((id) => losses[id]! >= mean)),
      );
    }
  });

  it('keeps the expected weighted loss of an epoch equal to the unpruned one', () => {
    const full = losses.reduce((s, x) => s + x, 0);
    const r = 0.6;
    const runs = 500;
    let sum = 0;
    let sumSq = 0;
    const keptBelow = new Array(N).fill(0);
    for (let seed = 0; seed < runs; seed++) {
      const sel = observed(seed, r).select(1);
      let weighted = 0;
      sel.indices.forEach((id, j) => {
        weighted += sel.weights[j]! * losses[id]!;
        keptBelow[id]++;
      });
      sum += weighted;
      sumSq += weighted * weighted;
    }
    const avg = sum / runs;
    const se = Math.sqrt((sumSq / runs - avg * avg) / runs);
    expect(Math.abs(avg - full)).toBeLessThan(4 * se);
    // Exactly in expectation, sample by sample: each below-mean sample is kept with probability 1 - r.
    const below = [...losses.keys()].filter((id) => losses[id]! < mean);
    const rate = below.reduce((s, id) => s + keptBelow[id], 0) / (below.length * runs);
    expect(Math.abs(rate - (1 - r))).toBeLessThan(4 * Math.sqrt((r * (1 - r)) / (below.length * runs)));
  });

  it('uses all data with weight 1 from epoch ceil(δ E) on (the last 1 - δ of training)', () => {
    const p = observed(1, 0.5, { delta: 0.75 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((e) => p.isFullDataEpoch(e))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    for (const e of [6, 7]) {
      const sel = p.select(e);
      expect(sel.kept).toBe(N);
      expect(sel.weights.every((w) => w === 1)).toBe(true);
    }
    const d = createPruner({ policy: 'infobatch', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 8, seed: 1 });
    expect(d.isFullDataEpoch(6)).toBe(false); // default δ = 0.875: 7 pruned epochs of 8
    expect(d.isFullDataEpoch(7)).toBe(true);
    // δ E that is an integer only up to float64 rounding (0.28 * 25 = 7.000000000000001) still starts at that epoch.
    expect(0.28 * 25).toBeGreaterThan(7);
    const e = createPruner({
      policy: 'infobatch',
      datasetSize: 10,
      pruneRatio: 0.5,
      totalEpochs: 25,
      seed: 1,
      delta: 0.28,
    });
    expect(e.isFullDataEpoch(6)).toBe(false);
    expect(e.isFullDataEpoch(7)).toBe(true);
  });

  it('scores by the last observed loss; never-observed samples are never dropped', () => {
    const p = createPruner({ policy: 'infobatch', datasetSize: 4, pruneRatio: 0.99, totalEpochs: 4, seed: 1 });
    p.observe([0, 1, 1], [5, 9, 0]);
    expect([...p.scores()!].slice(0, 2)).toEqual([5, 0]);
    for (let e = 1; e < 3; e++) {
      const kept = new Set(p.select(e).indices);
      expect(kept.has(0) && kept.has(2) && kept.has(3)).toBe(true);
    }
  });

  it('restores mid-interval on a large set (compact flagged ids vs restored weights give the same epochs)', () => {
    const n = 600000;
    const config = { policy: 'infobatch', datasetSize: n, pruneRatio: 0.5, totalEpochs: 6, seed: 2, interval: 2 };
    const p = createPruner(config);
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    p.observe(
      all,
      Float32Array.from(all, (i) => fakeLoss(5, i, 0)),
    );
    const first = p.select(1);
    expect(first.kept).toBeLessThan(n);
    const q = createPruner(config, JSON.parse(JSON.stringify(p.state())));
    const a = p.select(2);
    const b = q.select(2);
    expect(b.kept).toBe(a.kept);
    expect(Buffer.compare(Buffer.from(b.indices.buffer), Buffer.from(a.indices.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(b.weights.buffer), Buffer.from(a.weights.buffer))).toBe(0);
  });

  it('rejects δ outside (0, 1]', () => {
    expect(() =>
      createPruner({ policy: 'infobatch', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1, delta: 0 }),
    ).toThrow('delta = 0 is invalid: expected a number in (0, 1]');
    // null is not "left out": it is rejected, not replaced by the default.
    expect(() =>
      createPruner({
        policy: 'infobatch',
        datasetSize: 10,
        pruneRatio: 0.5,
        totalEpochs: 2,
        seed: 1,
        delta: null as unknown as number,
      }),
    ).toThrow('delta = null is invalid: expected a number in (0, 1]');
  });
});
