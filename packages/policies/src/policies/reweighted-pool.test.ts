import { describe, expect, it } from 'vitest';
import {
  createPruner,
  getPolicy,
  keepCount,
  PrunerError,
  reweightedPoolKeep,
  Rng,
  reweightedPoolTail,
  type Json,
  type PolicyConfig,
} from '../index.js';
import { fakeLoss, stateEditor, trainEpoch } from '../testing/helpers.js';

const config = (
  n: number,
  pruneRatio: number,
  extra: Partial<PolicyConfig<'reweighted-pool'>> = {},
): PolicyConfig<'reweighted-pool'> => ({
  policy: 'reweighted-pool',
  datasetSize: n,
  pruneRatio,
  totalEpochs: 8,
  seed: 1,
  ...extra,
});

const ctxOf = (n: number, pruneRatio: number, totalEpochs: number) => ({
  datasetSize: n,
  keep: keepCount(pruneRatio, n),
  totalEpochs,
});

describe('reweighted-pool: data volume', () => {
  it('spends tailBudget of the budget k E on full-data epochs at the end: T = floor(tailBudget k E / N)', () => {
    // The screening protocol (20 epochs) and the CIFAR-10 campaign's (80 epochs), N = 55,000 / 45,000.
    expect(reweightedPoolTail(ctxOf(55000, 0.5, 20), 0.25)).toBe(2); // 2.5 -> 2
    expect(reweightedPoolTail(ctxOf(55000, 0.7, 20), 0.25)).toBe(1); // 1.5 -> 1
    expect(reweightedPoolTail(ctxOf(45000, 0.5, 80), 0.25)).toBe(10); // InfoBatch's last 12.5%
    expect(reweightedPoolTail(ctxOf(45000, 0.7, 80), 0.25)).toBe(6);
    expect(reweightedPoolTail(ctxOf(45000, 0.5, 80), 0)).toBe(0);
    expect(reweightedPoolTail(ctxOf(10, 0, 8), 0.99)).toBe(7); // < E always
    const p = createPruner(config(100, 0.5, { totalEpochs: 20 }));
    expect([...Array(20).keys()].filter((e) => p.isFullDataEpoch(e))).toEqual([18, 19]);
  });

  it.each([
    [55000, 0.5, 20, 0.25],
    [55000, 0.7, 20, 0.25],
    [45000, 0.5, 80, 0.25],
    [45000, 0.7, 80, 0.25],
    [1001, 0.33, 7, 0.6],
    [37, 0.9, 5, 0.9],
  ])('N %i at %f, %i epochs, tailBudget %f: the run trains exactly k E samples', (n, r, epochs, tailBudget) => {
    const ctx = ctxOf(n, r, epochs);
    const t = reweightedPoolTail(ctx, tailBudget);
    let total = n * t;
    const kept: number[] = [];
    for (let e = 0; e < epochs - t; e++) kept.push(reweightedPoolKeep(e, ctx, tailBudget));
    total += kept.reduce((a, b) => a + b, 0);
    expect(total).toBe(ctx.keep * epochs);
    // Spread evenly: every pruned epoch keeps floor or ceil of the mean.
    expect(Math.max(...kept) - Math.min(...kept)).toBeLessThanOrEqual(1);
  });

  it('select() keeps those counts and reports them as kept; the tail trains all data with weight 1', () => {
    const n = 500;
    const cfg = config(n, 0.7, { totalEpochs: 10 });
    const p = createPruner(cfg);
    const ctx = ctxOf(n, 0.7, 10);
    let total = 0;
    for (let e = 0; e < 10; e++) {
      const sel = trainEpoch(p, e, (id, ep) => fakeLoss(3, id, ep));
      total += sel.kept;
      if (e >= 10 - reweightedPoolTail(ctx, 0.25)) {
        expect(sel.kept).toBe(n);
        expect(sel.weights.every((w) => w === 1)).toBe(true);
      } else expect(sel.kept).toBe(reweightedPoolKeep(e, ctx, 0.25));
    }
    expect(total).toBe(keepCount(0.7, n) * 10);
  });
});

/**
 * Brute-force reference of one run with the pool covering all data (poolRatio 1) and distinct losses: at epoch e, the
 * never-trained samples first, then the highest loss * e / N_i; weights min((e + 1) / (N_i + 1), maxWeight).
 */
describe('reweighted-pool: ranking and weights', () => {
  it('matches a brute-force reference of the priority loss * E / N_i and the weight (E + 1) / (N_i + 1)', () => {
    const n = 200;
    const epochs = 12;
    const maxWeight = 4;
    const p = createPruner(config(n, 0.6, { totalEpochs: epochs, poolRatio: 1, maxWeight, tailBudget: 0.2 }));
    const ctx = ctxOf(n, 0.6, epochs);
    const counts = new Array<number>(n).fill(0);
    const last = new Array<number>(n).fill(Number.NaN);
    // Per-sample difficulty spread over two orders of magnitude, slowly decaying: distinct float32 priorities.
    const loss = (id: number, e: number) =>
      Math.fround((0.01 + ((id * 37) % 200)) * (1 + fakeLoss(5, id, e) / 8) * 0.99 ** e);
    for (let e = 0; e < epochs; e++) {
      const sel = p.select(e);
      if (p.isFullDataEpoch(e)) break;
      const k = reweightedPoolKeep(e, ctx, 0.2);
      const unseen = [...Array(n).keys()].filter((i) => counts[i] === 0);
      const byPriority = [...Array(n).keys()]
        .filter((i) => counts[i]! > 0)
        .sort((a, b) => Math.fround((last[b]! * e) / counts[b]!) - Math.fround((last[a]! * e) / counts[a]!));
      const chosen = new Set(Array.from(sel.indices));
      if (unseen.length >= k) {
        expect([...chosen].every((i) => counts[i] === 0)).toBe(true);
      } else {
        expect(new Set([...unseen, ...byPriority.slice(0, k - unseen.length)])).toEqual(chosen);
      }
      sel.indices.forEach((id, j) =>
        expect(sel.weights[j]).toBe(Math.fround(Math.min((e + 1) / (counts[id]! + 1), maxWeight))),
      );
      for (const id of sel.indices) counts[id]!++;
      const losses = Float32Array.from(sel.indices, (id) => loss(id, e));
      p.observe(sel.indices, losses);
      sel.indices.forEach((id, j) => (last[id] = losses[j]!));
    }
  });

  it('a sample left out grows in priority until it comes back: selection frequency proportional to the loss', () => {
    // Fixed losses (sample i has loss i + 1), pool = all data, keep 25%: with no sample at frequency 1, the long-run
    // frequency of sample i is k / N * loss_i / mean loss, so over 60 epochs it is selected about
    // 60 * 0.25 * (i + 1) / 200.5 times (the easiest once, when first seen; the hardest about 30 times, not 60).
    // OrderDP with the same pool would keep the same top quarter for ever.
    const n = 400;
    const epochs = 60;
    const p = createPruner(config(n, 0.75, { totalEpochs: epochs, poolRatio: 1, tailBudget: 0 }));
    const times = new Array<number>(n).fill(0);
    for (let e = 0; e < epochs; e++) {
      const sel = p.select(e);
      for (const id of sel.indices) times[id]!++;
      p.observe(
        sel.indices,
        Float32Array.from(sel.indices, (id) => id + 1),
      );
    }
    const expected = (i: number) => (epochs * 0.25 * (i + 1)) / 200.5;
    times.forEach((t, i) => expect(Math.abs(t - Math.max(1, expected(i)))).toBeLessThanOrEqual(1.5));
  });

  it('ranks never-trained samples first, and weights them by the epochs they missed', () => {
    const n = 100;
    const p = createPruner(config(n, 0.5, { poolRatio: 1, tailBudget: 0 }));
    const first = trainEpoch(p, 0, () => 100); // huge losses: trained samples still rank below unseen ones
    expect(first.weights.every((w) => w === 1)).toBe(true);
    const second = p.select(1);
    const before = new Set(Array.from(first.indices));
    expect(Array.from(second.indices).every((id) => !before.has(id))).toBe(true);
    expect(second.weights.every((w) => w === 2)).toBe(true);
  });

  it('credits warm-up epochs to every sample: the first selection after 3 warm-up epochs weights all by 1', () => {
    const n = 60;
    const p = createPruner(config(n, 0.5, { warmupEpochs: 3, poolRatio: 1 }));
    for (let e = 0; e < 3; e++) trainEpoch(p, e, (id, ep) => fakeLoss(1, id, ep));
    const sel = p.select(3);
    expect(sel.weights.every((w) => w === 1)).toBe(true);
  });

  it('with the default pool, draws its k from a uniform random 80% (a sample outside the pool is never kept)', () => {
    const n = 1000;
    const p = createPruner(config(n, 0.5, { tailBudget: 0 }));
    // All trained at epoch 0 would need poolRatio 1; here: train all once through a warm-up instead.
    const q = createPruner(config(n, 0.5, { tailBudget: 0, warmupEpochs: 1 }));
    trainEpoch(q, 0, (id) => id + 1);
    const sel = q.select(1);
    // Top 500 of a random pool of 800 by loss id + 1: never the 200 lowest-loss samples, and not simply the top 500.
    expect(Array.from(sel.indices).every((id) => id >= 200)).toBe(true);
    expect(Array.from(sel.indices).some((id) => id < 500)).toBe(true);
    expect(p.select(0).kept).toBe(500);
  });
});

describe('reweighted-pool: options and state', () => {
  it('rejects bad options with a PrunerError naming field, value and range', () => {
    const make = (extra: Record<string, unknown>) => () => createPruner({ ...config(100, 0.5), ...extra });
    expect(make({ maxWeight: 0.5 })).toThrow('maxWeight = 0.5 is invalid: expected a number in [1, inf)');
    expect(make({ maxWeight: Number.NaN })).toThrow('maxWeight = NaN is invalid');
    expect(make({ tailBudget: 1 })).toThrow('tailBudget = 1 is invalid: expected a number in [0, 1)');
    expect(make({ tailBudget: -0.1 })).toThrow('tailBudget = -0.1 is invalid');
    expect(make({ poolRatio: 0 })).toThrow('poolRatio = 0 is invalid');
    // 8 epochs at 50%, tail 1 epoch: 300 samples over 7 epochs keep 42 or 43 each, so the pool must hold 43.
    expect(make({ poolRatio: 0.42 })).toThrow(
      'poolRatio = 0.42 is invalid: expected a number in (0, 1] whose pool floor(poolRatio * 100) holds the 43 samples',
    );
    expect(make({ poolRatio: 0.43 })).not.toThrow();
    expect(make({ pool: 0.5 })).toThrow(PrunerError);
    expect(createPruner(config(100, 0.5)).options).toEqual({ poolRatio: 0.8, maxWeight: 10, tailBudget: 0.25 });
    // The default pool is raised to the largest keep when that is larger (pruneRatio 0.1: 90% kept).
    expect(createPruner(config(100, 0.1, { tailBudget: 0 })).select(0).kept).toBe(90);
  });

  it('a state restored through JSON gives the same future selections', () => {
    const cfg = config(300, 0.6, { totalEpochs: 10 });
    const a = createPruner(cfg);
    for (let e = 0; e < 4; e++) trainEpoch(a, e, (id, ep) => fakeLoss(2, id, ep));
    const b = createPruner(cfg, JSON.parse(JSON.stringify(a.state())));
    for (let e = 4; e < 10; e++)
      expect(trainEpoch(b, e, (id, ep) => fakeLoss(2, id, ep))).toEqual(
        trainEpoch(a, e, (id, ep) => fakeLoss(2, id, ep)),
      );
  });

  it('load() validates the whole state before changing anything', () => {
    const n = 10;
    const ctx = { datasetSize: n, pruneRatio: 0.5, totalEpochs: 6, seed: 1, keep: keepCount(0.5, n) };
    const policy = getPolicy('reweighted-pool');
    const inst = policy.create(ctx, policy.parseOptions({}, ctx));
    const rng = new Rng(1);
    let sel = inst.choose(0, rng).indices;
    inst.observe(
      sel,
      Float32Array.from(sel, (id) => id + 1),
    );
    sel = inst.choose(1, rng).indices;
    inst.observe(
      sel,
      Float32Array.from(sel, (id) => id + 1),
    );
    const good = inst.state() as Record<string, any>;
    expect(good.last).toBe(1);
    const before = JSON.stringify(good);
    const { edit, b64 } = stateEditor(before);
    const k = sel.length;
    const bad: Json[] = [
      null,
      [],
      edit((s) => delete s.counts),
      edit((s) => (s.extra = 1)),
      edit((s) => (s.last = 6)),
      edit((s) => (s.last = -1)),
      edit((s) => (s.last = 0.5)),
      edit((s) => (s.last = null)), // counts > 0 before any selection
      edit((s) => (s.counts = b64(new Uint32Array(n - 1)))),
      edit((s) => (s.counts = b64(Uint32Array.from({ length: n }, (_, i) => (i === 3 ? 2 : 0))))), // > last = 1
      edit((s) => (s.loss = b64(Float32Array.from({ length: n }, (_, i) => (i === 2 ? Infinity : 1))))),
      edit((s) => (s.subset = b64(new Uint32Array(k - 1)))),
      edit((s) => (s.subset = b64(Uint32Array.from({ length: k }, (_, i) => (i === 0 ? n : i))))),
      edit((s) => (s.subset = b64(Uint32Array.from({ length: k }, (_, i) => (i === 0 ? 1 : i))))), // 1 twice
    ];
    for (const s of bad) {
      expect(() => inst.load(s)).toThrow(PrunerError);
      expect(JSON.stringify(inst.state())).toBe(before);
    }
    const other = policy.create(ctx, policy.parseOptions({}, ctx));
    other.load(JSON.parse(before));
    expect(JSON.stringify(other.state())).toBe(before);
  });
});
