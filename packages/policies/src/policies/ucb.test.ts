import { describe, expect, it } from 'vitest';
import { hashFloat32 } from '../codec.js';
import { createPruner, getPolicy, keepCount, PrunerError, type PrunerConfig, type PrunerState } from '../index.js';
import { createPrunerWithSampler, fakeLoss, trainEpoch } from '../testing/helpers.js';

/** Hash of every epoch's ids and of the final JSON state (fingerprint included) of a run trained on `loss`. */
function runDigest(config: PrunerConfig, loss: (id: number, epoch: number) => number): string {
  // Digests recorded before selection-algorithm versions existed: version 1 (whose state has no `sampler` field).
  const p = createPrunerWithSampler(config, 1);
  const words: number[] = [];
  for (let e = 0; e < config.totalEpochs; e++) words.push(...trainEpoch(p, e, loss).indices);
  for (const ch of JSON.stringify(p.state())) words.push(ch.charCodeAt(0));
  return hashFloat32(new Float32Array(Uint32Array.from(words).buffer));
}

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
    const p = createPruner({
      policy: 'ucb',
      datasetSize: n,
      pruneRatio: 0.7,
      totalEpochs: 6,
      seed: 3,
      warmupEpochs: 3,
      c: 1.5,
      decay: 0.7,
    });
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
      const p = createPruner({
        policy: 'ucb',
        datasetSize: 100,
        pruneRatio: 0.5,
        totalEpochs: 11,
        seed: 1,
        warmupEpochs: 10,
        c,
        decay: 0.5,
      });
      for (let e = 0; e < 10; e++) trainEpoch(p, e, (id, ep) => (id < 50 ? 1 : ep % 2 ? 0.4 : 1.4));
      return [...p.select(10).indices].sort((a, b) => a - b);
    };
    expect(pick(0)).toEqual([...Array(50).keys()]);
    expect(pick(3)).toEqual([...Array(50).keys()].map((i) => i + 50));
  });

  it('ranks never-observed samples first and breaks their ties by seed', () => {
    const sel = (seed: number) =>
      [
        ...createPruner({ policy: 'ucb', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed }).select(0).indices,
      ].sort();
    expect(sel(1)).not.toEqual(sel(2));
    const p = createPruner({ policy: 'ucb', datasetSize: 100, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    const first = new Set(trainEpoch(p, 0, () => 50).indices);
    expect(p.select(1).indices.every((id) => !first.has(id))).toBe(true);
  });

  it("bonus 'std' (the default) is bit for bit the policy before the option: selections, state and fingerprint", () => {
    // Digests recorded with the code before `bonus` existed (session 9).
    expect(
      runDigest(
        { policy: 'ucb', datasetSize: 500, pruneRatio: 0.7, totalEpochs: 6, seed: 11, warmupEpochs: 1 },
        (id, e) => fakeLoss(5, id, e),
      ),
    ).toBe('f32:7707:8031f61f6b205fb5');
    expect(
      runDigest(
        {
          policy: 'ucb',
          datasetSize: 333,
          pruneRatio: 0.4,
          totalEpochs: 5,
          seed: -2,
          c: 2.5,
          decay: 0.5,
          interval: 2,
          bonus: 'std',
        },
        (id, e) => fakeLoss(6, id, e) ** 2,
      ),
    ).toBe('f32:5943:f33dec0e349a603d');
    const p = createPruner({ policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 });
    expect(p.options).toEqual({ c: 1, decay: 0.9, bonus: 'std' });
    expect(JSON.parse(p.state().fingerprint).options).toEqual({ c: 1, decay: 0.9 });
    expect(Object.keys(p.state().policy as object)).toEqual(['mean', 'variance']);
    expect(p.bytesPerSample).toBe(12);
  });

  describe("bonus 'count' (UCB1)", () => {
    const base = { policy: 'ucb', pruneRatio: 0.5, seed: 4, bonus: 'count' } as const;

    it('scores mean + c * sqrt(ln t / n): n = times observed, t = observations / N (at least 1)', () => {
      const n = 40;
      const p = createPruner({ ...base, datasetSize: n, totalEpochs: 8, warmupEpochs: 1, c: 1.5, decay: 0.5 });
      const mean = new Float64Array(n).fill(Number.NaN);
      const count = new Float64Array(n);
      for (let e = 0; e < 6; e++) {
        const sel = trainEpoch(p, e, (id, ep) => fakeLoss(9, id, ep));
        for (const id of sel.indices) {
          const x = Math.fround(fakeLoss(9, id, e));
          mean[id] = Number.isNaN(mean[id]!) ? x : Math.fround(mean[id]! + 0.5 * (x - mean[id]!));
          count[id]!++;
        }
        const t = Math.max(p.observedCount / n, 1);
        expect(p.scores()).toEqual(Float32Array.from(mean, (m, i) => m + 1.5 * Math.sqrt(Math.log(t) / count[i]!)));
      }
    });

    it('the bonus of a sample that sits out grows until it is chosen again; with std it never comes back', () => {
      // Losses fixed per sample: ids 0-1 at 1, ids 2-3 at 0.5. The EMA std stays 0, so 'std' keeps 0-1 for good.
      const loss = (id: number) => (id < 2 ? 1 : 0.5);
      const run = (bonus: 'std' | 'count') => {
        const p = createPruner({ ...base, datasetSize: 4, totalEpochs: 12, warmupEpochs: 1, bonus });
        trainEpoch(p, 0, loss);
        const picks: number[][] = [];
        const idle: number[] = [];
        for (let e = 1; e < 12; e++) {
          picks.push([...trainEpoch(p, e, loss).indices].sort());
          idle.push(p.scores()![2]!);
        }
        return { picks, idle };
      };
      const std = run('std');
      expect(std.picks.every((ids) => ids.join() === '0,1')).toBe(true);
      const count = run('count');
      const back = count.picks.findIndex((ids) => ids.includes(2));
      expect(back).toBeGreaterThan(0); // the low-loss samples sat out first...
      expect(back).toBeLessThan(6); // ...and came back within a few epochs
      for (let j = 1; j < back; j++) expect(count.idle[j]).toBeGreaterThan(count.idle[j - 1]!); // bonus growing while idle
      // Both pairs keep being re-observed: no sample is dropped for good.
      expect(count.picks.slice(back).some((ids) => ids.includes(0))).toBe(true);
    });

    it('ranks never-observed samples first', () => {
      const p = createPruner({ ...base, datasetSize: 100, totalEpochs: 3 });
      const first = new Set(trainEpoch(p, 0, () => 1000).indices);
      expect(p.select(1).indices.every((id) => !first.has(id))).toBe(true);
    });

    it('saves its counts in the state (std does not) and restores them exactly', () => {
      const config: PrunerConfig = { ...base, datasetSize: 50, totalEpochs: 6, warmupEpochs: 1 };
      const a = createPruner(config);
      for (let e = 0; e < 3; e++) trainEpoch(a, e, (id, ep) => fakeLoss(2, id, ep));
      const state = JSON.parse(JSON.stringify(a.state())) as PrunerState;
      expect(Object.keys(state.policy as object)).toEqual(['mean', 'variance', 'count']);
      expect(JSON.parse(state.fingerprint).options).toEqual({ c: 1, decay: 0.9, bonus: 'count' });
      const b = createPruner(config, state);
      expect(b.scores()).toEqual(a.scores());
      for (let e = 3; e < 6; e++)
        expect(trainEpoch(b, e, (id, ep) => fakeLoss(2, id, ep))).toEqual(
          trainEpoch(a, e, (id, ep) => fakeLoss(2, id, ep)),
        );
      expect(a.bytesPerSample).toBe(16);
      // A 'std' state cannot restore a 'count' pruner (nor the reverse): the fingerprints differ.
      expect(() => createPruner({ ...config, bonus: 'std' }, state)).toThrow(/state.fingerprint/);
    });

    it('load validates the counts fully and changes nothing when they are bad', () => {
      const ctx = { datasetSize: 4, pruneRatio: 0.5, totalEpochs: 2, seed: 0, keep: keepCount(0.5, 4) };
      const policy = getPolicy('ucb');
      const inst = policy.create(ctx, policy.parseOptions({ bonus: 'count' }, ctx));
      inst.observe([0, 1, 1], [1, 2, 3]);
      const good = inst.state() as Record<string, string>;
      const counts = (c: number[]) => btoa(String.fromCharCode(...new Uint8Array(Uint32Array.from(c).buffer)));
      const bad = (s: Record<string, unknown>, pattern: RegExp) => {
        expect(() => inst.load(s as never)).toThrow(PrunerError);
        expect(() => inst.load(s as never)).toThrow(pattern);
        expect(inst.state()).toEqual(good);
      };
      expect(good.count).toBe(counts([1, 2, 0, 0]));
      bad({ mean: good.mean, variance: good.variance }, /state.policy = .*mean, variance, count/);
      bad({ ...good, count: counts([1, 2, 0]) }, /state.policy.count.length = 3/);
      bad({ ...good, count: counts([1, 0, 0, 0]) }, /state.policy.count\[1\] = 0 is invalid: expected an integer >= 1/);
      bad(
        { ...good, count: counts([1, 2, 5, 0]) },
        /state.policy.count\[2\] = 5 is invalid: expected 0 \(the sample was never observed/,
      );
      inst.load({ ...good, count: counts([7, 2, 0, 0]) });
      expect((inst.state() as Record<string, string>).count).toBe(counts([7, 2, 0, 0]));
    });
  });

  it('rejects a bonus other than std or count, naming it', () => {
    const base = { policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
    expect(() => createPruner({ ...base, bonus: 'ucb1' })).toThrow(PrunerError);
    expect(() => createPruner({ ...base, bonus: 'ucb1' })).toThrow(
      `bonus = "ucb1" is invalid: expected one of 'std', 'count'`,
    );
    expect(() => createPruner({ ...base, bonus: null })).toThrow(/bonus = null/);
  });

  it('rejects c < 0', () => {
    expect(() =>
      createPruner({ policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1, c: -1 }),
    ).toThrow('c = -1 is invalid: expected a number in [0, inf)');
  });
});
