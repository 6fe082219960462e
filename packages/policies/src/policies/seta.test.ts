import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError, type PrunerConfig } from '../index.js';
import { Rng } from '../rng.js';
import { fakeLoss, trainEpoch } from '../testing/helpers.js';
import {
  groupScores,
  groupSubsetById,
  kmeans1d,
  kmeansLabels,
  roundHalfEven,
  scoreRange,
  seta,
  slidingWindow,
} from './seta.js';

/** Within-group sum of squares of a labelling. */
function sse(values: ArrayLike<number>, labels: ArrayLike<number>): number {
  const sum = new Map<number, [number, number]>();
  for (let i = 0; i < values.length; i++) {
    const [c, s] = sum.get(labels[i]!) ?? [0, 0];
    sum.set(labels[i]!, [c + 1, s + values[i]!]);
  }
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const [c, s] = sum.get(labels[i]!)!;
    total += (values[i]! - s / c) ** 2;
  }
  return total;
}

/** Four well-separated loss clusters of unequal sizes: ids [0, 300) ~ 0.1, [300, 450) ~ 1, [450, 550) ~ 3, [550, 600) ~ 8. */
const N4 = 600;
const cluster = (id: number) => (id < 300 ? 0 : id < 450 ? 1 : id < 550 ? 2 : 3);
const loss4 = (id: number) => [0.1, 1, 3, 8][cluster(id)]! * (1 + 0.05 * (fakeLoss(3, id, 0) / 4 - 0.5));
const ALL4 = Uint32Array.from({ length: N4 }, (_, i) => i);

function fourClusters(pruneRatio: number, extra: Record<string, unknown> = {}, totalEpochs = 12) {
  const p = createPruner({
    policy: 'seta',
    datasetSize: N4,
    pruneRatio,
    totalEpochs,
    seed: 5,
    groups: 4,
    windowScale: 0.5,
    ...extra,
  });
  p.observe(ALL4, Float32Array.from(ALL4, loss4));
  return p;
}
const clustersOf = (indices: Uint32Array) => [...new Set([...indices].map(cluster))].sort();

describe('seta', () => {
  it('rounds the window like Python (half to even) and slides it by iteration mod (k - w + 1)', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, 5 * 0.9, 10 * 0.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 4, 4, 6]);
    // The official CIFAR setting (5 groups, window_scale 0.9): a window of 4 groups alternating between 2 positions.
    expect([1, 2, 3, 4].map((i) => slidingWindow(5, i, 0.9))).toEqual([
      [1, 5],
      [0, 4],
      [1, 5],
      [0, 4],
    ]);
    // Defaults (10 groups, 0.5): 5 groups, starts 1, 2, 3, 4, 5, 0, 1, ...
    expect([1, 2, 5, 6, 7].map((i) => slidingWindow(10, i, 0.5)[0])).toEqual([1, 2, 5, 0, 1]);
  });

  it('kmeans1d finds the optimal weighted 1-D clustering (brute force over all contiguous splits)', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const b = 1 + rng.int(9);
      const g = 1 + rng.int(Math.min(b, 5));
      const counts = Array.from({ length: b }, () => 1 + rng.int(5));
      const values: number[] = [];
      let x = 0;
      for (let j = 0; j < b; j++) values.push((x += 0.01 + rng.nextFloat() * (rng.int(3) === 0 ? 5 : 0.5)));
      const sums = values.map((v, j) => v * counts[j]!);
      const cuts = kmeans1d(counts, sums, b, g);
      expect(cuts[0]).toBe(0);
      expect(cuts[g]).toBe(b);
      for (let t = 0; t < g; t++) expect(cuts[t]!).toBeLessThan(cuts[t + 1]!);
      // Expand the bins to points and compare costs with the brute-force optimum.
      const points: number[] = [];
      const labels: number[] = [];
      for (let t = 0; t < g; t++) {
        for (let j = cuts[t]!; j < cuts[t + 1]!; j++) {
          for (let c = 0; c < counts[j]!; c++) {
            points.push(values[j]!);
            labels.push(t);
          }
        }
      }
      const splits: number[][] = [];
      const rec = (start: number, t: number, acc: number[]) => {
        if (t === g - 1) return void splits.push([...acc, b]);
        for (let e = start + 1; e <= b - (g - 1 - t); e++) rec(e, t + 1, [...acc, e]);
      };
      rec(0, 0, [0]);
      let best = Infinity;
      for (const s of splits) {
        const l: number[] = [];
        for (let t = 0; t < g; t++)
          for (let j = s[t]!; j < s[t + 1]!; j++) for (let c = 0; c < counts[j]!; c++) l.push(t);
        best = Math.min(best, sse(points, l));
      }
      expect(sse(points, labels)).toBeCloseTo(best, 9);
    }
  });

  it('groups samples easy -> hard exactly as a brute-force 1-D k-means on small N (NaN at initialScore)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + rng.int(9);
      const k = 1 + rng.int(4);
      const values = Float32Array.from({ length: n }, () =>
        rng.int(6) === 0 ? Number.NaN : rng.nextFloat() * (rng.int(2) ? 10 : 1),
      );
      const labels = kmeansLabels(values, k, 3);
      const eff = Array.from(values, (v) => (Number.isNaN(v) ? 3 : v));
      const order = [...eff.keys()].sort((a, b) => eff[a]! - eff[b]!);
      const distinct = new Set(eff).size;
      if (distinct === 1) {
        // All equal: chunks of ceil(n / k) in index order (torch.chunk in the official code).
        const c = Math.ceil(n / k);
        expect([...labels]).toEqual(eff.map((_, i) => Math.floor(i / c)));
        continue;
      }
      const g = Math.min(k, distinct);
      // Brute force over the distinct values (equal values always share a group), weighted by multiplicity.
      const uniq = [...new Set(order.map((i) => eff[i]!))];
      const expanded = order.map((i) => eff[i]!);
      let best = { cost: Infinity, labels: [] as number[] };
      const byValue = (cutLabels: number[]) => expanded.map((v) => cutLabels[uniq.indexOf(v)]!);
      // Every split of the distinct values into g contiguous runs, costed on all values (so weighted by multiplicity).
      const rec = (start: number, t: number, l: number[]) => {
        if (t === g - 1) {
          const full = [...l, ...new Array(uniq.length - start).fill(t)];
          const cost = sse(expanded, byValue(full));
          if (cost < best.cost - 1e-9) best = { cost, labels: full };
          return;
        }
        for (let e = start + 1; e <= uniq.length - (g - 1 - t); e++)
          rec(e, t + 1, [...l, ...new Array(e - start).fill(t)]);
      };
      rec(0, 0, []);
      expect(order.map((i) => labels[i]!)).toEqual(byValue(best.labels));
    }
  });

  it('trains, after the first selection, only the window groups, sliding easy -> hard each epoch', () => {
    // pruneRatio 0.8: keep = 120 <= every window's size, so no widening. Windows of 2 of the 4 clusters.
    const p = fourClusters(0.8);
    const first = p.select(0); // official iteration 0: a random keep-subset of all groups
    expect(first.kept).toBe(120);
    expect(clustersOf(first.indices)).toEqual([0, 1, 2, 3]);
    const expected = [
      [1, 2],
      [2, 3],
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 1],
    ];
    for (let e = 1; e <= 6; e++) {
      const sel = p.select(e);
      expect(clustersOf(sel.indices)).toEqual(expected[e - 1]);
      expect(sel.kept).toBe(sel.indices.length);
      expect(sel.weights.every((w) => w === 1)).toBe(true);
      expect(Math.abs(sel.kept - 120)).toBeLessThan(40);
    }
  });

  it('widens a window that holds fewer than keep samples by whole groups, harder side first', () => {
    // keep = 300: window {1, 2} (250 samples) -> {1, 2, 3}; {2, 3} (150) -> {1, 2, 3}; {0, 1} (450) stays.
    const p = fourClusters(0.5);
    p.select(0);
    expect(clustersOf(p.select(1).indices)).toEqual([1, 2, 3]);
    expect(clustersOf(p.select(2).indices)).toEqual([1, 2, 3]);
    expect(clustersOf(p.select(3).indices)).toEqual([0, 1]);
    // pruneRatio 0: every window widens to all groups and the random prune keeps everything.
    const full = fourClusters(0);
    for (let e = 0; e < 4; e++) expect(full.select(e).kept).toBe(N4);
  });

  it('clusters never-observed samples at initialScore', () => {
    // Observed: 200 at ~0.1 and 200 at ~8; 200 never observed count as 3 (the middle group).
    const p = createPruner({
      policy: 'seta',
      datasetSize: 600,
      pruneRatio: 0.9,
      totalEpochs: 10,
      seed: 2,
      groups: 3,
      windowScale: 1 / 3,
    });
    const seen = Uint32Array.from({ length: 400 }, (_, i) => (i < 200 ? i : i + 200));
    p.observe(
      seen,
      Float32Array.from(seen, (id) => (id < 200 ? 0.1 : 8)),
    );
    expect(Number.isNaN(p.scores()![250]!)).toBe(true);
    p.select(0);
    const middle = p.select(1).indices; // window start 1 of 3 groups: the unobserved ones
    expect(middle.length).toBeGreaterThan(0);
    expect([...middle].every((id) => id >= 200 && id < 400)).toBe(true);
    // initialScore -1 makes them the easiest group: window start 1 is then the ~0.1 group.
    const q = createPruner({
      policy: 'seta',
      datasetSize: 600,
      pruneRatio: 0.9,
      totalEpochs: 10,
      seed: 2,
      groups: 3,
      windowScale: 1 / 3,
      initialScore: -1,
    });
    q.observe(
      seen,
      Float32Array.from(seen, (id) => (id < 200 ? 0.1 : 8)),
    );
    q.select(0);
    expect([...q.select(1).indices].every((id) => id < 200)).toBe(true);
  });

  it.each([0.3, 0.5, 0.7])(
    'prunes pruneRatio = %s of the samples on average over a run (skewed, changing losses)',
    (r) => {
      const n = 4000;
      const epochs = 40;
      const p = createPruner({ policy: 'seta', datasetSize: n, pruneRatio: r, totalEpochs: epochs, seed: 7 });
      // Exponential-like losses that shrink over training, per sample and epoch.
      const loss = (id: number, e: number) => -Math.log(1 - (fakeLoss(1, id, e) / 4) * 0.999) * (3 / (1 + e / 5));
      p.observe(
        Uint32Array.from({ length: n }, (_, i) => i),
        Float32Array.from({ length: n }, (_, i) => loss(i, 0)),
      );
      const keep = n - Math.floor(r * n);
      let total = 0;
      const deviations: number[] = [];
      for (let e = 0; e < epochs; e++) {
        const sel = trainEpoch(p, e, loss);
        // Exactly keep in the first and the tail (e >= floor(0.875 * 40) = 35) selections; keep in expectation in the
        // windowed ones, where the subset's k-means boundaries may land away from the pilot's (over 8 seeds x 3 loss
        // shapes: median deviation <= 1.4%, 90th percentile <= 6.3%, worst 55%).
        if (e === 0 || e >= 35) expect(sel.kept).toBe(keep);
        else deviations.push(Math.abs(sel.kept - keep) / keep);
        total += sel.kept;
      }
      deviations.sort((a, b) => a - b);
      expect(deviations[deviations.length >> 1]).toBeLessThan(0.03);
      expect(deviations.reduce((a, b) => a + b) / deviations.length).toBeLessThan(0.05);
      // The run's average trained share within 1 point of 1 - pruneRatio (8 seeds x 3 loss shapes: within 0.65 points).
      expect(Math.abs(total / (n * epochs) - (1 - r))).toBeLessThan(0.01);
    },
  );

  it('anneals partially: from epoch floor(δ E) a uniform random keep-subset over all groups, not full data', () => {
    const p = fourClusters(0.8, { delta: 0.75 }, 8); // floor(0.75 * 8) = 6
    for (let e = 0; e < 6; e++) {
      const sel = p.select(e);
      expect(p.isFullDataEpoch(e)).toBe(false);
      if (e > 0) expect(clustersOf(sel.indices).length).toBe(2);
    }
    for (const e of [6, 7]) {
      const sel = p.select(e);
      expect(p.isFullDataEpoch(e)).toBe(false);
      expect(sel.kept).toBe(120);
      expect(clustersOf(sel.indices)).toEqual([0, 1, 2, 3]);
    }
    // floor, as the official sampler (prune while the 1-based epoch <= δ E): δ E = 2.5 -> tail from epoch 2.
    const q = fourClusters(0.8, { delta: 0.5 }, 5);
    q.select(0);
    expect(clustersOf(q.select(1).indices).length).toBe(2);
    expect(clustersOf(q.select(2).indices)).toEqual([0, 1, 2, 3]);
    // The tail is uniform: every sample's inclusion rate ~ keep / N (chi-square over 300 seeds, 10 bins of ids).
    const bins = new Array(10).fill(0);
    for (let seed = 0; seed < 300; seed++) {
      const t = createPruner({ policy: 'seta', datasetSize: 100, pruneRatio: 0.7, totalEpochs: 2, seed, delta: 0.5 });
      t.observe(
        Uint32Array.from({ length: 100 }, (_, i) => i),
        Float32Array.from({ length: 100 }, (_, i) => i),
      );
      for (const id of t.select(1).indices) bins[Math.floor(id / 10)]++;
    }
    const chi2 = bins.reduce((s, c) => s + (c - 900) ** 2 / 900, 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001 at 9 degrees of freedom
  });

  it('is deterministic and restores mid-run (window position included) with identical selections', () => {
    const config: PrunerConfig = {
      policy: 'seta',
      datasetSize: 3000,
      pruneRatio: 0.6,
      totalEpochs: 10,
      seed: 9,
      groups: 5,
      windowScale: 0.9,
    };
    const loss = (id: number, e: number) => fakeLoss(4, id, e) ** 2;
    const a = createPruner(config);
    const b = createPruner(config);
    for (let e = 0; e < 4; e++) expect(trainEpoch(a, e, loss)).toEqual(trainEpoch(b, e, loss));
    const saved = JSON.parse(JSON.stringify(a.state()));
    expect(saved.policy.iteration).toBe(4);
    const c = createPruner(config, saved);
    for (let e = 4; e < 10; e++) expect(trainEpoch(c, e, loss)).toEqual(trainEpoch(a, e, loss));
    expect(c.state()).toEqual(a.state());
    // Another seed gives other selections.
    const d = createPruner({ ...config, seed: 10 });
    expect(trainEpoch(d, 0, loss).indices).not.toEqual(trainEpoch(createPruner(config), 0, loss).indices);
  });

  it('load() rejects a bad state (length, non-finite loss, iteration, unknown field) and changes nothing', () => {
    const ctx = { datasetSize: 8, pruneRatio: 0.5, totalEpochs: 4, seed: 1, keep: 4 };
    const inst = seta.create(ctx, seta.parseOptions({}, ctx));
    inst.observe([1, 2], [0.5, 2]);
    const good = inst.state() as { loss: string; iteration: number };
    const before = JSON.stringify(good);
    const other = seta.create({ ...ctx, datasetSize: 9 }, seta.parseOptions({}, ctx)).state() as { loss: string };
    const withInf = new Float32Array(8).fill(Number.NaN);
    withInf[5] = Infinity;
    const infB64 = Buffer.from(withInf.buffer).toString('base64');
    const bad: unknown[] = [
      null,
      [],
      { loss: good.loss },
      { loss: other.loss, iteration: 0 },
      { loss: infB64, iteration: 0 },
      { loss: good.loss, iteration: -1 },
      { loss: good.loss, iteration: 1.5 },
      { loss: good.loss, iteration: '2' },
      { loss: good.loss, iteration: 0, window: 3 },
    ];
    for (const s of bad) {
      expect(() => inst.load(s as never)).toThrow(PrunerError);
      expect(JSON.stringify(inst.state())).toBe(before);
    }
    // A good state (NaN = never observed) loads.
    inst.load({ loss: good.loss, iteration: 7 });
    expect((inst.state() as { iteration: number }).iteration).toBe(7);
  });

  it('rejects bad options with a PrunerError naming the field, value and range', () => {
    const base = { policy: 'seta', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 4, seed: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ groups: 0 }, 'groups = 0 is invalid: expected an integer in [1, 100]'],
      [{ groups: 2.5 }, 'groups = 2.5 is invalid'],
      [{ groups: 101 }, 'groups = 101 is invalid'],
      [{ windowScale: 0 }, 'windowScale = 0 is invalid: expected a number in (0, 1]'],
      [{ windowScale: 1.2 }, 'windowScale = 1.2 is invalid'],
      [
        { windowScale: 0.05 },
        'windowScale = 0.05 is invalid: expected a number in (0, 1] with round(groups * windowScale) >= 1',
      ], // round(0.5) = 0
      [{ windowScale: Number.NaN }, 'windowScale = NaN is invalid'],
      [{ delta: 0 }, 'delta = 0 is invalid: expected a number in (0, 1]'],
      [{ delta: 1.01 }, 'delta = 1.01 is invalid'],
      [{ delta: null }, 'delta = null is invalid'],
      [{ initialScore: Infinity }, 'initialScore = Infinity is invalid'],
      [{ groupz: 3 }, 'groupz = 3 is invalid: expected no such option'],
    ];
    for (const [extra, message] of cases) {
      expect(() => createPruner({ ...base, ...extra } as PrunerConfig)).toThrow(PrunerError);
      expect(() => createPruner({ ...base, ...extra } as PrunerConfig)).toThrow(message);
    }
    expect(createPruner({ ...base, windowScale: 0.051 }).options).toEqual({
      groups: 10,
      windowScale: 0.051,
      delta: 0.875,
      initialScore: 3,
    });
  });
});

describe('seta: the id-order histogram of a random-order subset', () => {
  // groupSubsetById must give exactly groupScores' groups (sizes, edges) and bins, for any order of the subset.
  const cases: [string, (rng: Rng, i: number) => number][] = [
    ['observed losses >= 0', (rng) => -Math.log(1 - rng.nextFloat() * 0.999)],
    [
      'unseen, negative and tied scores',
      (rng, i) => (i % 7 === 0 ? Number.NaN : i % 5 === 0 ? 1.5 : rng.nextFloat() * 8 - 3),
    ],
    ['huge and tiny magnitudes', (rng, i) => (i % 3 === 0 ? 3e38 * rng.nextFloat() : 1e-40 * rng.nextFloat())],
  ];
  for (const [name, score] of cases) {
    it(name, () => {
      const n = 20000;
      const rng = new Rng(7);
      const last = new Float32Array(n);
      for (let i = 0; i < n; i++) last[i] = score(rng, i) + 0;
      const bits = new Uint32Array(last.buffer);
      const all = Uint32Array.from({ length: n }, (_, i) => i);
      const range = scoreRange(last, all, n); // of all n scores, as markSubset gives it
      const ids = rng.shuffle(all.slice()).subarray(0, 12345);
      const m = ids.length;
      const countsA = new Uint32Array(4096);
      const sumsA = new Float64Array(4096);
      const bins = new Uint16Array(n);
      const a = groupScores(last, bits, ids, m, range, 3, 10, countsA, sumsA, bins);
      const countsB = new Uint32Array(4096);
      const sumsB = new Float64Array(4096);
      const binById = new Uint16Array(n);
      const b = groupSubsetById(
        last,
        bits,
        ids,
        m,
        n,
        range,
        3,
        10,
        countsB,
        sumsB,
        binById,
        new Int32Array(n / 32 + 1),
      );
      expect(b).toEqual(a);
      expect(sumsB).toEqual(sumsA);
      expect(countsB).toEqual(countsA);
      expect(Uint16Array.from(ids, (id) => binById[id]!)).toEqual(bins.subarray(0, m));
    });
  }
});
