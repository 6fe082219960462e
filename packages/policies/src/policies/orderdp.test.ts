import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepCount } from '../count.js';
import { createPruner, PrunerError, type PrunerConfig } from '../index.js';
import { Rng } from '../rng.js';
import { LATEST_SAMPLER } from '../sampler.js';
import { sampleSubset } from '../select.js';
import { fakeLoss, trainEpoch } from '../testing/helpers.js';
import type { Json, PolicyContext } from '../types.js';
import { orderdp } from './orderdp.js';

/** A bare policy instance (no pruner), so a test can hand choose() an Rng it can replay. */
function instance(n: number, pruneRatio: number, raw: Record<string, unknown> = {}) {
  const ctx: PolicyContext = { datasetSize: n, pruneRatio, totalEpochs: 10, seed: 1, keep: keepCount(pruneRatio, n) };
  const options = orderdp.parseOptions(raw, ctx);
  return { ctx, options, inst: orderdp.create(ctx, options) };
}

/** The pool size the card defines, computed independently: floor(poolRatio * N), the default 0.8 raised to k. */
function referencePoolSize(n: number, k: number, poolRatio: number | undefined): number {
  return poolRatio === undefined ? Math.max(k, Math.floor(0.8 * n + 1e-9)) : Math.floor(poolRatio * n + 1e-9);
}

/**
 * Brute force: the pool is a uniform P-subset drawn first from the same rng (sampleSubset, under the version a bare
 * instance selects with: the latest), or all ids when P = N.
 */
function referencePool(n: number, p: number, rng: Rng): Set<number> {
  if (p === n) return new Set(Array.from({ length: n }, (_, i) => i));
  const pool = new Uint32Array(p);
  sampleSubset(null, 0, n, p, rng, pool, 0, undefined, LATEST_SAMPLER);
  return new Set(pool);
}

/**
 * Whether `chosen` is a top-k of `pool` by score (NaN = never trained scores `init`): k distinct members of the
 * pool, none outside it, and no unchosen pool member scoring above a chosen one (any tie-break allowed).
 */
function expectTopOfPool(chosen: Uint32Array, k: number, pool: Set<number>, last: Float32Array, init: number): void {
  const score = (id: number) => (Number.isNaN(last[id]!) ? Math.fround(init) : last[id]!);
  expect(chosen.length).toBe(k);
  const set = new Set(chosen);
  expect(set.size).toBe(k);
  for (const id of set) expect(pool.has(id)).toBe(true);
  let minChosen = Infinity;
  for (const id of set) minChosen = Math.min(minChosen, score(id));
  for (const id of pool) if (!set.has(id)) expect(score(id)).toBeLessThanOrEqual(minChosen);
}

/** log C(a, b) via lgamma-free summation (small arguments only). */
function logChoose(a: number, b: number): number {
  if (b < 0 || b > a) return -Infinity;
  let s = 0;
  for (let i = 1; i <= b; i++) s += Math.log(a - b + i) - Math.log(i);
  return s;
}

/**
 * Exact probability that the sample of rank j (1 = highest score, all scores distinct) is kept: it is in the pool
 * (P/N) and, given that, at most k - 1 of the other P - 1 pool members (a uniform draw from the N - 1 others)
 * are among the j - 1 samples above it (hypergeometric). The quantity of the official code's commented-out
 * compute_expression.
 */
function keepProbability(n: number, p: number, k: number, j: number): number {
  let s = 0;
  for (let h = 0; h <= k - 1; h++)
    s += Math.exp(logChoose(j - 1, h) + logChoose(n - j, p - 1 - h) - logChoose(n - 1, p - 1));
  return (p / n) * s;
}

describe('orderdp', () => {
  it('trains exactly k = N - floor(pruneRatio N) distinct samples with weight 1 every epoch', () => {
    const cases: [number, number, number | undefined][] = [
      [1, 0, undefined],
      [7, 0.5, undefined],
      [100, 0, undefined],
      [100, 0.1, undefined],
      [100, 0.29, 0.75],
      [101, 0.5, undefined],
      [1000, 0.7, undefined],
      [1000, 0.7, 0.3],
      [1000, 0.95, 1],
      [999, 0.5, 0.51],
    ];
    for (const [n, pruneRatio, poolRatio] of cases) {
      const p = createPruner({ policy: 'orderdp', datasetSize: n, pruneRatio, totalEpochs: 5, seed: n, poolRatio });
      const k = n - Math.floor(pruneRatio * n + 1e-9);
      for (let e = 0; e < 5; e++) {
        const sel = trainEpoch(p, e, (id, ep) => fakeLoss(3, id, ep));
        expect(sel.kept).toBe(k);
        expect(sel.indices.length).toBe(k);
        expect(new Set(sel.indices).size).toBe(k);
        expect(sel.indices.every((id) => id < n)).toBe(true);
        expect(sel.weights.every((w) => w === 1)).toBe(true);
      }
    }
  });

  it('keeps the top-scored k of a uniform random pool (brute-force reference, ties and unseen samples included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined, freq: 1 }), // half the runs: the default pool
        fc.option(fc.constantFrom(-1, 0, 0.5, 3, 10), { nil: undefined }),
        fc.integer(),
        fc.integer({ min: 0, max: 2 }),
        (n, pruneRatio, u, initialScore, seed, kind) => {
          const k = keepCount(pruneRatio, n);
          // An explicit pool share in [k/N, 1] (u maps onto it), or the default.
          const poolRatio = u === undefined ? undefined : k / n + u * (1 - k / n);
          const { inst } = instance(n, pruneRatio, { poolRatio, initialScore });
          // Scores: continuous, heavily tied, or a mix with never-trained samples.
          const last = new Float32Array(n).fill(Number.NaN);
          const ids: number[] = [];
          const losses: number[] = [];
          for (let id = 0; id < n; id++) {
            const x = fakeLoss(seed, id, kind);
            if (kind === 2 && x < 1.5) continue; // about 3/8 never trained
            ids.push(id);
            losses.push(kind === 1 ? Math.floor(x) : x);
          }
          inst.observe(ids, losses);
          ids.forEach((id, i) => (last[id] = losses[i]!));
          const p = referencePoolSize(n, k, poolRatio);
          const chosen = inst.choose(0, new Rng(seed)).indices;
          expectTopOfPool(chosen, k, referencePool(n, p, new Rng(seed)), last, initialScore ?? 3);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the sample of score rank j with the exact two-stage probability (pool, then top-k in the pool)', () => {
    // N = 12, default pool floor(0.8 * 12) = 9, k = 6 (keep share within the pool 2/3). Scores distinct: loss = id.
    const n = 12;
    const epochs = 4000;
    const p = createPruner({ policy: 'orderdp', datasetSize: n, pruneRatio: 0.5, totalEpochs: epochs, seed: 7 });
    p.observe([...Array(n).keys()], [...Array(n).keys()]);
    const count = new Array(n).fill(0);
    for (let e = 0; e < epochs; e++) for (const id of p.select(e).indices) count[id]++;
    for (let j = 1; j <= n; j++) {
      const id = n - j; // rank j
      const q = keepProbability(n, 9, 6, j);
      const sd = Math.sqrt((q * (1 - q)) / epochs);
      expect(Math.abs(count[id] / epochs - q)).toBeLessThanOrEqual(4.5 * sd + 1e-12);
    }
    // The shape: the top 6 ranks are kept whenever pooled (9/12), the lowest 3 never (6 of the 9 pooled outrank them).
    expect(keepProbability(n, 9, 6, 1)).toBeCloseTo(0.75, 12);
    expect(keepProbability(n, 9, 6, 12)).toBe(0);
    expect(count[0]).toBe(0);
  });

  it('defaults at 50% and 70% pruning: a pool of 0.8 N, of which 0.625 resp. 0.375 is kept', () => {
    const n = 1000;
    for (const [pruneRatio, share] of [
      [0.5, 0.625],
      [0.7, 0.375],
    ] as const) {
      const { inst, ctx } = instance(n, pruneRatio);
      expect(ctx.keep / 800).toBe(share);
      const last = Float32Array.from({ length: n }, (_, id) => fakeLoss(17, id, 0));
      inst.observe([...Array(n).keys()], last);
      for (let seed = 0; seed < 5; seed++)
        expectTopOfPool(inst.choose(0, new Rng(seed)).indices, ctx.keep, referencePool(n, 800, new Rng(seed)), last, 3);
    }
  });

  it('pool share 1 is greedy top-k; a pool of exactly k (the default below 20% pruning) is a uniform random subset', () => {
    const n = 200;
    const loss = (id: number) => fakeLoss(11, id, 0);
    const greedy = instance(n, 0.6, { poolRatio: 1 }).inst;
    greedy.observe(
      [...Array(n).keys()],
      Array.from({ length: n }, (_, id) => loss(id)),
    );
    const top = [...Array(n).keys()].sort((a, b) => loss(b) - loss(a)).slice(0, 80);
    expect([...greedy.choose(0, new Rng(5)).indices].sort((a, b) => a - b)).toEqual(top.sort((a, b) => a - b));

    for (const raw of [{}, { poolRatio: 0.9 }]) {
      const { inst, ctx } = instance(n, 0.1, raw); // k = 180 > floor(0.8 * 200): default pool raised to k
      expect(ctx.keep).toBe(180);
      inst.observe(
        [...Array(n).keys()],
        Array.from({ length: n }, (_, id) => loss(id)),
      );
      const pool = new Uint32Array(180);
      sampleSubset(null, 0, n, 180, new Rng(9), pool, 0, undefined, LATEST_SAMPLER);
      expect([...inst.choose(0, new Rng(9)).indices].sort((a, b) => a - b)).toEqual([...pool].sort((a, b) => a - b));
    }
  });

  it('never-trained samples score initialScore (default 3): above lower losses, below higher ones', () => {
    // ids 0..9 trained with loss x, ids 10..19 never trained; pool = all, k = 10.
    const pick = (x: number, initialScore?: number) => {
      const { inst } = instance(20, 0.5, { poolRatio: 1, initialScore });
      inst.observe([...Array(10).keys()], new Array(10).fill(x));
      return [...inst.choose(0, new Rng(1)).indices].sort((a, b) => a - b);
    };
    const trained = [...Array(10).keys()];
    const unseen = trained.map((i) => i + 10);
    expect(pick(3.5)).toEqual(trained);
    expect(pick(2.5)).toEqual(unseen);
    expect(pick(2.5, 2)).toEqual(trained);
    expect(pick(-1, -2)).toEqual(trained);
    expect(pick(-3, -2)).toEqual(unseen);
    // Exactly initialScore: a tie, broken at random (both kinds chosen for some seed).
    const mixed = [...Array(30).keys()].some((seed) => {
      const { inst } = instance(20, 0.5, { poolRatio: 1 });
      inst.observe([...Array(10).keys()], new Array(10).fill(3));
      const chosen = inst.choose(0, new Rng(seed)).indices;
      return chosen.some((id) => id < 10) && chosen.some((id) => id >= 10);
    });
    expect(mixed).toBe(true);
    // Before any loss, every sample scores 3: the first epoch is a uniform k-subset of the pool, varying with the seed.
    const first = (seed: number) =>
      [
        ...createPruner({ policy: 'orderdp', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed }).select(0)
          .indices,
      ].sort();
    expect(first(1)).not.toEqual(first(2));
    expect(
      createPruner({ policy: 'orderdp', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 1, seed: 1 }).scores(),
    ).toEqual(new Float32Array(10).fill(Number.NaN));
  });

  it('refreshes only the trained samples: a score is the last observed loss, others keep theirs', () => {
    const n = 150;
    const p = createPruner({ policy: 'orderdp', datasetSize: n, pruneRatio: 0.7, totalEpochs: 6, seed: 4 });
    const ref = new Float32Array(n).fill(Number.NaN);
    let everUnselected = 0;
    for (let e = 0; e < 6; e++) {
      const before = p.scores()!;
      const sel = trainEpoch(p, e, (id, ep) => fakeLoss(2, id, ep));
      const chosen = new Set(sel.indices);
      for (const id of sel.indices) ref[id] = fakeLoss(2, id, e);
      const after = p.scores()!;
      expect(after).toEqual(ref);
      for (let id = 0; id < n; id++) {
        if (chosen.has(id)) continue;
        everUnselected++;
        expect(Object.is(after[id], before[id])).toBe(true);
      }
    }
    expect(everUnselected).toBeGreaterThan(0);
    // Within one batch the last entry for an id wins.
    p.observe([3, 3], [1, 2]);
    expect(p.scores()![3]).toBe(2);
  });

  it('is deterministic by seed, and another seed gives other selections', () => {
    const run = (seed: number) => {
      const p = createPruner({ policy: 'orderdp', datasetSize: 300, pruneRatio: 0.5, totalEpochs: 5, seed });
      return Array.from({ length: 5 }, (_, e) => [...trainEpoch(p, e, (id, ep) => fakeLoss(6, id, ep)).indices]);
    };
    expect(run(1)).toEqual(run(1));
    const a = run(1);
    const b = run(2);
    for (let e = 0; e < 5; e++) expect(new Set(a[e])).not.toEqual(new Set(b[e]));
  });

  it('a state restored through JSON gives the same next selections (never-trained NaN included)', () => {
    const config: PrunerConfig = {
      policy: 'orderdp',
      datasetSize: 500,
      pruneRatio: 0.7,
      totalEpochs: 8,
      seed: 12,
      poolRatio: 0.6,
    };
    const loss = (id: number, ep: number) => fakeLoss(8, id, ep);
    const a = createPruner(config);
    for (let e = 0; e < 3; e++) trainEpoch(a, e, loss);
    expect(a.scores()!.some(Number.isNaN)).toBe(true); // 3 epochs of 150 cannot cover all 500
    const b = createPruner(config, JSON.parse(JSON.stringify(a.state())));
    expect(b.scores()).toEqual(a.scores());
    for (let e = 3; e < 8; e++) expect(trainEpoch(b, e, loss)).toEqual(trainEpoch(a, e, loss));
    // Policy level: load(state()) then choose() with the same rng gives the same subset.
    const x = instance(50, 0.5);
    x.inst.observe([1, 2, 3, 40], [5, -1, 0.25, 2]);
    const y = instance(50, 0.5);
    y.inst.load(JSON.parse(JSON.stringify(x.inst.state())) as Json);
    expect(y.inst.scores!()).toEqual(x.inst.scores!());
    expect(y.inst.choose(0, new Rng(3))).toEqual(x.inst.choose(0, new Rng(3)));
  });

  it('load() rejects a bad state naming the field, and changes nothing', () => {
    const { inst } = instance(8, 0.5);
    inst.observe([0, 5, 7], [1.5, 2, 9]);
    const good = inst.state() as { loss: string };
    const before = inst.scores!();
    const chooseBefore = inst.choose(0, new Rng(1));
    const other = instance(9, 0.5).inst.state() as { loss: string }; // 9 values, not 8
    const withInf = new Float32Array(8).fill(1);
    withInf[3] = Infinity;
    const infState = instance(8, 0.5).inst;
    infState.observe([...Array(8).keys()], withInf); // (the pruner would refuse it; the bare instance takes it)
    const bad: [Json, string][] = [
      [null, 'state.policy'],
      [[], 'state.policy'],
      [{}, 'state.policy'],
      [{ mean: good.loss }, 'state.policy'],
      [{ loss: good.loss, extra: 1 }, 'state.policy.extra'],
      [{ loss: 42 }, 'state.policy.loss'],
      [{ loss: '@@not base64' }, 'state.policy.loss'],
      [{ loss: other.loss }, 'state.policy.loss.length'],
      [infState.state(), 'state.policy.loss[3]'],
    ];
    for (const [state, field] of bad) {
      let err: unknown;
      try {
        inst.load(state);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PrunerError);
      expect((err as PrunerError).field).toBe(field);
      expect(inst.scores!()).toEqual(before);
      expect(inst.choose(0, new Rng(1))).toEqual(chooseBefore);
    }
    // Through the pruner: a saved state with a wrong-length loss array is refused before anything is restored.
    const p = createPruner({ policy: 'orderdp', datasetSize: 8, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    const saved = p.state();
    expect(() =>
      createPruner(
        { policy: 'orderdp', datasetSize: 8, pruneRatio: 0.5, totalEpochs: 2, seed: 1 },
        { ...saved, policy: { loss: other.loss } },
      ),
    ).toThrow(PrunerError);
  });

  it('rejects bad options with a PrunerError naming the field, and leaves the options object alone', () => {
    const base = { policy: 'orderdp', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
    const bad: [Record<string, unknown>, string][] = [
      [{ poolRatio: 0 }, 'poolRatio'],
      [{ poolRatio: -0.5 }, 'poolRatio'],
      [{ poolRatio: 1.01 }, 'poolRatio'],
      [{ poolRatio: Number.NaN }, 'poolRatio'],
      [{ poolRatio: Infinity }, 'poolRatio'],
      [{ poolRatio: '0.8' }, 'poolRatio'],
      [{ poolRatio: null }, 'poolRatio'],
      [{ poolRatio: 0.49 }, 'poolRatio'], // floor(0.49 * 100) = 49 < k = 50
      [{ initialScore: Number.NaN }, 'initialScore'],
      [{ initialScore: -Infinity }, 'initialScore'],
      [{ initialScore: 1e16 }, 'initialScore'],
      [{ initialScore: '3' }, 'initialScore'],
      [{ initialScore: null }, 'initialScore'],
      [{ pool: 0.8 }, 'pool'],
    ];
    for (const [extra, field] of bad) {
      const config = { ...base, ...extra } as PrunerConfig;
      const copy = { ...config };
      let err: unknown;
      try {
        createPruner(config);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PrunerError);
      expect((err as PrunerError).field).toBe(field);
      expect(config).toEqual(copy);
    }
    expect(() => createPruner({ ...base, poolRatio: 0.3 })).toThrow(
      'poolRatio = 0.3 is invalid: expected a number in (0, 1] whose pool floor(poolRatio * 100) holds the k = 50 kept samples (poolRatio >= 0.5)',
    );
    // The boundary itself is fine (P = k: a uniform random subset), as are 0.29 * 100 style products.
    expect(createPruner({ ...base, poolRatio: 0.5 }).options).toEqual({ poolRatio: 0.5, initialScore: 3 });
    expect(createPruner({ ...base, pruneRatio: 0.71, poolRatio: 0.29 }).options.poolRatio).toBe(0.29);
    expect(createPruner(base).options).toEqual({ poolRatio: 0.8, initialScore: 3 });
  });
});
