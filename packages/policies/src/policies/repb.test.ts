import { describe, expect, it } from 'vitest';
import {
  createPruner,
  getPolicy,
  keepCount,
  PrunerError,
  Rng,
  type Json,
  type PolicyConfig,
  type PrunerConfig,
} from '../index.js';
import { fakeLoss, stateEditor, trainEpoch } from '../testing/helpers.js';

type Batch = { ids: number[]; losses: number[] };

/**
 * Brute-force reference of the local-window rule: non-empty batches grouped W at a time (the last group may be
 * short), each float32 loss compared with its group's mean, the last observation of a sample wins. Returns the
 * pool: samples never observed or last observed below their window's mean.
 */
function referencePool(n: number, w: number, batches: Batch[]): Set<number> {
  const outcome = new Array<string>(n).fill('unused');
  let group: Batch[] = [];
  const close = () => {
    const ids = group.flatMap((b) => b.ids);
    const losses = group.flatMap((b) => b.losses.map((x) => Math.fround(x)));
    const mean = losses.reduce((s, x) => s + x, 0) / losses.length;
    ids.forEach((id, j) => (outcome[id] = losses[j]! < mean ? 'below' : 'above'));
    group = [];
  };
  for (const b of batches) {
    if (b.ids.length === 0) continue;
    group.push(b);
    if (group.length === w) close();
  }
  if (group.length > 0) close();
  return new Set([...outcome.keys()].filter((id) => outcome[id] !== 'above'));
}

/** Random batches (sizes 0..9, ids with repeats, some samples never observed, coarse losses so ties occur). */
function randomBatches(n: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  const batches: Batch[] = [];
  for (let total = 0; total < n;) {
    const size = rng.int(10);
    const ids = Array.from({ length: size }, () => rng.int(n));
    batches.push({ ids, losses: ids.map((id) => Math.round(fakeLoss(seed, id, batches.length) * 4) / 4 + 0.1) });
    total += size;
  }
  return batches;
}

const config = (n: number, pruneRatio: number, extra: Partial<PolicyConfig<'repb'>> = {}): PolicyConfig<'repb'> => ({
  policy: 'repb',
  datasetSize: n,
  pruneRatio,
  totalEpochs: 8,
  seed: 1,
  ...extra,
});

const dropped = (n: number, kept: ArrayLike<number>) => {
  const k = new Set(Array.from(kept));
  return new Set([...Array(n).keys()].filter((i) => !k.has(i)));
};

describe('repb: local window pruning', () => {
  it('compares each loss only with the mean of its own window of W batches', () => {
    // Window 1 (batches 1-2): mean 25, so 0 and 1 are below. Window 2 (batches 3-4): mean 2.5, so 4 and 5 are below.
    // One global mean (13.75) would instead put 0, 4, 5, 6, 7 below it.
    const p = createPruner(config(8, 0.5, { window: 2 }));
    p.observe([0, 1], [10, 20]);
    p.observe([2, 3], [30, 40]);
    p.observe([4, 5], [1, 2]);
    p.observe([6, 7], [3, 4]);
    const sel = p.select(0);
    expect([...sel.indices].sort()).toEqual([2, 3, 6, 7]);
  });

  it('matches a brute-force reference (W = 1, 3, 4; repeats, empty batches, unobserved samples, partial last window)', () => {
    const n = 200;
    for (const w of [1, 3, 4]) {
      for (let seed = 1; seed <= 6; seed++) {
        const batches = randomBatches(n, seed * 10 + w);
        const pool = referencePool(n, w, batches);
        expect(pool.size).toBeGreaterThan(0);
        expect(pool.size).toBeLessThan(n);
        // pruneRatio = |P| / N: exactly the pool must be dropped, nothing else.
        const p = createPruner(config(n, pool.size / n, { window: w, seed }));
        for (const b of batches) p.observe(b.ids, b.losses);
        const sel = p.select(0);
        expect(sel.kept).toBe(n - pool.size);
        expect(dropped(n, sel.indices)).toEqual(pool);
        expect(sel.weights.every((x) => x === 1)).toBe(true);
      }
    }
  });

  it('windows restart after a re-selection: the next pool is the new window outcomes plus the samples left unused', () => {
    const n = 300;
    const p = createPruner(config(n, 0.4, { seed: 5 }));
    const sel0 = trainEpoch(p, 0, (id, ep) => fakeLoss(3, id, ep)); // W = 1: the batches of 7 are the windows
    const trained = Array.from(sel0.indices);
    const batches: Batch[] = [];
    for (let s = 0; s < trained.length; s += 7) {
      const ids = trained.slice(s, s + 7);
      batches.push({ ids, losses: ids.map((id) => fakeLoss(3, id, 0)) });
    }
    const pool = referencePool(n, 1, batches); // unused = the 120 samples not trained in epoch 0
    const sure = [...Array(n).keys()].filter((i) => !pool.has(i));
    expect(sure.length).toBeLessThan(keepCount(0.4, n));
    const next = new Set(p.select(1).indices);
    for (const id of sure) expect(next.has(id)).toBe(true);
    expect(dropped(n, [...next]).size).toBe(120);
  });
});

describe('repb: uniform resampling', () => {
  const n = 400;
  const all = Array.from({ length: n }, (_, i) => i);
  const loss = (id: number) => fakeLoss(11, id, 0);
  const batches: Batch[] = [];
  for (let s = 0; s < n; s += 20) batches.push({ ids: all.slice(s, s + 20), losses: all.slice(s, s + 20).map(loss) });
  const pool = referencePool(n, 1, batches);

  it('drops exactly d = floor(r N) from the pool, each pool member with probability d / |P|, never a sure sample', () => {
    const r = 0.3;
    const d = Math.floor(r * n);
    expect(pool.size).toBeGreaterThan(d);
    const runs = 300;
    const hits = new Map<number, number>();
    for (let seed = 0; seed < runs; seed++) {
      const p = createPruner(config(n, r, { seed }));
      for (const b of batches) p.observe(b.ids, b.losses);
      const out = dropped(n, p.select(0).indices);
      expect(out.size).toBe(d);
      for (const id of out) {
        expect(pool.has(id)).toBe(true);
        hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    // Uniform over the pool: every member's drop count is Binomial(runs, ρ), ρ = d / |P| (the share put back 1 - ρ).
    const rho = d / pool.size;
    const sd = Math.sqrt(runs * rho * (1 - rho));
    let chi = 0;
    for (const id of pool) {
      const h = hits.get(id) ?? 0;
      expect(Math.abs(h - runs * rho)).toBeLessThan(5 * sd);
      chi += (h - runs * rho) ** 2 / (sd * sd);
    }
    expect(Math.abs(chi - pool.size)).toBeLessThan(5 * Math.sqrt(2 * pool.size));
  });

  it('when the pool is smaller than d, drops all of it and a uniform rest among the sure samples', () => {
    const r = 0.9;
    const d = Math.floor(r * n);
    expect(pool.size).toBeLessThan(d);
    const sure = all.filter((i) => !pool.has(i));
    const runs = 200;
    const keptCount = new Map<number, number>();
    for (let seed = 0; seed < runs; seed++) {
      const p = createPruner(config(n, r, { seed }));
      for (const b of batches) p.observe(b.ids, b.losses);
      const sel = p.select(0);
      expect(sel.kept).toBe(n - d);
      for (const id of sel.indices) {
        expect(pool.has(id)).toBe(false);
        keptCount.set(id, (keptCount.get(id) ?? 0) + 1);
      }
    }
    const q = (n - d) / sure.length;
    const sd = Math.sqrt(runs * q * (1 - q));
    for (const id of sure) expect(Math.abs((keptCount.get(id) ?? 0) - runs * q)).toBeLessThan(5 * sd);
  });
});

describe('repb: cumulative temporal reweighting', () => {
  it('weights a kept sample min(E / N_i, maxWeight): epochs so far over epochs trained, both including this one', () => {
    for (const [warmupEpochs, interval, maxWeight] of [
      [0, 1, 3],
      [2, 2, 3],
      [1, 3, 100],
    ] as const) {
      const n = 30;
      const p = createPruner(
        config(n, 0.6, { totalEpochs: 14, warmupEpochs, interval, annealEpochs: 1, maxWeight, seed: 9 }),
      );
      const trained = new Array<number>(n).fill(0);
      let current = new Map<number, number>();
      const seen = new Set<number>();
      for (let e = 0; e < 14; e++) {
        const sel = trainEpoch(p, e, (id, ep) => fakeLoss(4, id, ep));
        if (p.isFullDataEpoch(e)) {
          expect(sel.weights.every((w) => w === 1)).toBe(true);
        } else {
          if ((e - warmupEpochs) % interval === 0) {
            current = new Map(
              Array.from(sel.indices, (id) => [id, Math.fround(Math.min((e + 1) / (trained[id]! + 1), maxWeight))]),
            );
          }
          sel.indices.forEach((id, j) => {
            expect(sel.weights[j]).toBe(current.get(id));
            seen.add(sel.weights[j]!);
          });
        }
        for (const id of sel.indices) trained[id]!++;
      }
      // The run exercised weight 1, weights strictly inside (1, maxWeight) and, for the small clip, the clip itself.
      expect(seen.has(1)).toBe(true);
      expect([...seen].some((w) => w > 1 && w < maxWeight)).toBe(true);
      if (maxWeight === 3) expect(seen.has(3)).toBe(true);
      for (const w of seen) expect(w >= 1 && w <= maxWeight).toBe(true);
    }
  });

  it('gives the first selection weight 1, then 2 to a sample left out once and selected again', () => {
    const p = createPruner(config(2, 0.5, { totalEpochs: 3 }));
    const a = p.select(0);
    expect([...a.weights]).toEqual([1]);
    const b = p.select(1); // nothing observed: both unused, one dropped uniformly
    expect([...b.weights]).toEqual([b.indices[0] === a.indices[0] ? 1 : 2]);
  });
});

describe('repb: realised pruned share', () => {
  for (const r of [0.3, 0.5, 0.7]) {
    it(`prunes exactly floor(${r} N) samples in every pruned epoch`, () => {
      const n = 1000;
      const p = createPruner(config(n, r, { totalEpochs: 10, warmupEpochs: 1, window: 2, seed: 3 }));
      for (let e = 0; e < 10; e++) {
        const sel = trainEpoch(p, e, (id, ep) => fakeLoss(8, id, ep));
        expect(n - sel.kept).toBe(e === 0 ? 0 : { 0.3: 300, 0.5: 500, 0.7: 700 }[r]);
        expect(new Set(sel.indices).size).toBe(sel.kept);
      }
    });
  }
});

describe('repb: determinism and state', () => {
  let savedBatches = -1;
  const run = (cfg: PrunerConfig, cutEpoch: number, restore: boolean) => {
    const loss = (id: number, ep: number) => fakeLoss(6, id, ep);
    let p = createPruner(cfg);
    const out: unknown[] = [];
    for (let e = 0; e < cfg.totalEpochs; e++) {
      const sel = p.select(e);
      out.push([Array.from(sel.indices), Array.from(sel.weights)]);
      // Batches of 5 with W = 3: the cut falls inside an open window, in the middle of an interval.
      for (let s = 0; s < sel.indices.length; s += 5) {
        if (restore && e === cutEpoch && s === 25) {
          const saved = JSON.parse(JSON.stringify(p.state()));
          savedBatches = saved.policy.window.batches;
          p = createPruner(cfg, saved);
          expect(p.state()).toEqual(saved);
        }
        const ids = sel.indices.subarray(s, s + 5);
        p.observe(
          ids,
          Float32Array.from(ids, (id) => loss(id, e)),
        );
      }
    }
    out.push(p.state());
    return out;
  };

  it('is a pure function of config, seed and observations; a state restored mid-window continues identically', () => {
    const cfg = config(97, 0.45, { totalEpochs: 9, window: 3, interval: 2, warmupEpochs: 1, maxWeight: 4, seed: 12 });
    const a = run(cfg, 4, false);
    expect(run(cfg, 4, false)).toEqual(a);
    expect(run(cfg, 4, true)).toEqual(a);
    expect(run({ ...cfg, seed: 13 }, 4, false)).not.toEqual(a);
    expect(savedBatches).toBeGreaterThan(0); // the saved state really had an open window
  });
});

describe('repb: validation', () => {
  it('rejects bad options with a PrunerError naming field, value and range', () => {
    const make = (extra: Record<string, unknown>) => () => createPruner({ ...config(10, 0.5), ...extra });
    expect(make({ window: 0 })).toThrow('window = 0 is invalid: expected an integer >= 1');
    expect(make({ window: 2.5 })).toThrow('window = 2.5 is invalid: expected an integer >= 1');
    expect(make({ window: null })).toThrow('window = null is invalid: expected an integer >= 1');
    expect(make({ window: '2' })).toThrow(PrunerError);
    expect(make({ maxWeight: 0.5 })).toThrow('maxWeight = 0.5 is invalid: expected a number in [1, inf)');
    expect(make({ maxWeight: Number.NaN })).toThrow('maxWeight = NaN is invalid');
    expect(make({ maxWeight: Infinity })).toThrow('maxWeight = Infinity is invalid');
    expect(make({ rho: 0.5 })).toThrow(PrunerError);
    const p = createPruner(config(10, 0.5));
    expect(p.options).toEqual({ window: 1, maxWeight: 10 });
  });

  it('load() validates the whole state before changing anything', () => {
    const n = 10;
    const ctx = { datasetSize: n, pruneRatio: 0.5, totalEpochs: 6, seed: 1, keep: keepCount(0.5, n) };
    const policy = getPolicy('repb');
    const inst = policy.create(ctx, policy.parseOptions({ window: 3 }, ctx));
    inst.observe([0, 1, 2], [1, 2, 3]);
    inst.choose(0, new Rng(1));
    inst.observe([3, 4], [5, 1]);
    inst.observe([5], [2]); // window open: 2 batches, 3 losses
    const good = inst.state() as Record<string, any>;
    expect(good.window.batches).toBe(2);
    const before = JSON.stringify(good);
    const { edit, b64 } = stateEditor(before);
    const bad: Json[] = [
      null,
      [],
      'state',
      edit((s) => delete s.counts),
      edit((s) => (s.extra = 1)),
      edit((s) => (s.window.extra = 1)),
      edit((s) => (s.epochs = -1)),
      edit((s) => (s.epochs = 0.5)),
      edit((s) => (s.last = 6)),
      edit((s) => (s.last = null)),
      edit((s) => (s.counts = b64(new Uint32Array(n - 1)))),
      edit((s) => (s.counts = b64(Uint32Array.from({ length: n }, (_, i) => (i === 3 ? 1 : 0))))), // > epochs = 0
      edit((s) => (s.counts = 'not base64!')),
      edit((s) => (s.flags = b64(new Uint32Array([3, 0, 0])))), // outcome 3 does not exist
      edit((s) => (s.flags = b64(new Uint32Array([0, 0, 0x01000000])))), // padding byte 11
      edit((s) => (s.flags = b64(new Uint32Array([8, 0, 0])))),
      edit((s) => (s.window.batches = 3)), // W = 3: a full window would have been closed
      edit((s) => (s.window.size = 2)),
      edit((s) => (s.window.ids = b64(new Uint32Array([3, 4, 10])))),
      edit((s) => (s.window.losses = b64(new Float32Array([5, Number.NaN, 2])))),
      edit((s) => (s.window.losses = b64(new Float32Array([5, Infinity, 2])))),
      edit((s) => (s.window = null)),
    ];
    for (const s of bad) {
      expect(() => inst.load(s)).toThrow(PrunerError);
      expect(JSON.stringify(inst.state())).toBe(before);
    }
    // A state saved before any re-selection may not mark samples as selected.
    const fresh = policy.create(ctx, policy.parseOptions({}, ctx));
    const selectedFlag = edit((s) => {
      s.flags = b64(new Uint32Array([4, 0, 0]));
      s.last = null;
      s.counts = b64(new Uint32Array(n));
      s.window = { batches: 0, size: 0, ids: '', losses: '' };
    });
    expect(() => fresh.load(selectedFlag)).toThrow('state.policy.flags[0] = 4 is invalid');
    // The good state loads into a fresh instance and round-trips.
    const other = policy.create(ctx, policy.parseOptions({ window: 3 }, ctx));
    other.load(JSON.parse(before));
    expect(JSON.stringify(other.state())).toBe(before);
  });
});
