import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError, type CustomPrunerConfig, type PrunerConfig } from './index.js';
import { fakeLoss, trainEpoch } from './testing/helpers.js';

const base = { datasetSize: 1000, pruneRatio: 0.3, totalEpochs: 5, seed: 7 };

/** Expect `f` to throw a PrunerError with this field, whose problem names field, value and what is allowed, and a fix. */
function rejects(f: () => unknown, field: string, message: string | RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PrunerError);
  expect((error as PrunerError).field).toBe(field);
  const e = error as PrunerError;
  if (typeof message === 'string') expect(e.problem).toBe(message);
  else expect(e.problem).toMatch(message);
  expect(e.fix.length).toBeGreaterThan(0);
  expect(e.message).toBe(`${e.problem}; fix: ${e.fix}`);
}

describe('createPruner', () => {
  it('random keeps k = N - floor(rN) distinct in-range ids with weight 1', () => {
    const p = createPruner({ ...base, policy: 'random' });
    const { indices, weights, kept } = p.select(0);
    expect(indices.length).toBe(700);
    expect(kept).toBe(700);
    expect(new Set(indices).size).toBe(700);
    expect(Math.max(...indices)).toBeLessThan(1000);
    expect(weights.every((w) => w === 1)).toBe(true);
  });

  it('is deterministic by seed and differs across epochs and seeds', () => {
    const a = createPruner({ ...base, policy: 'random' });
    const b = createPruner({ ...base, policy: 'random' });
    expect(a.select(2).indices).toEqual(b.select(2).indices);
    expect(new Set(a.select(1).indices)).not.toEqual(new Set(a.select(2).indices));
    expect(createPruner({ ...base, policy: 'random', seed: 8 }).select(2).indices).not.toEqual(a.select(2).indices);
  });

  it('interval re-selects every n epochs after warm-up; in between the same subset in a new order', () => {
    const p = createPruner({
      ...base,
      policy: 'random',
      totalEpochs: 8,
      interval: 3,
      warmupEpochs: 1,
      annealEpochs: 1,
    });
    const sets = [0, 1, 2, 3, 4, 5, 6, 7].map((e) => trainEpoch(p, e, (id) => fakeLoss(1, id, e)));
    expect(sets.map((s) => s.kept)).toEqual([1000, 700, 700, 700, 700, 700, 700, 1000]);
    const set = (e: number) => [...sets[e]!.indices].sort((x, y) => x - y);
    expect(set(2)).toEqual(set(1));
    expect(set(3)).toEqual(set(1));
    expect(set(4)).not.toEqual(set(1));
    expect(set(5)).toEqual(set(4));
    expect([...sets[2]!.indices]).not.toEqual([...sets[1]!.indices]);
    expect([0, 1, 6, 7].map((e) => p.isFullDataEpoch(e))).toEqual([true, false, false, true]);
  });

  it('shards are disjoint, equally long and cover the selection', () => {
    const p = createPruner({ ...base, policy: 'random' });
    const all = p.select(3).indices;
    const shards = [0, 1, 2].map((rank) => p.select(3, { rank, worldSize: 3 }).indices);
    expect(shards.map((s) => s.length)).toEqual([234, 234, 234]);
    expect(new Set(shards.flatMap((s) => [...s]))).toEqual(new Set(all));
    const strict = [0, 1, 2].map((rank) => [...p.select(3, { rank, worldSize: 3, dropLast: true }).indices]);
    expect(strict.map((s) => s.length)).toEqual([233, 233, 233]);
    expect(new Set(strict.flat()).size).toBe(699);
  });

  it('data-parallel workers that observe the all-gathered losses stay identical', () => {
    for (const policy of ['ucb', 'infobatch', 'epsilon-greedy']) {
      const config = { ...base, policy, totalEpochs: 4 };
      const workers = [createPruner(config), createPruner(config), createPruner(config)];
      for (let e = 0; e < 4; e++) {
        const shards = workers.map((w, rank) => w.select(e, { rank, worldSize: 3 }));
        const epochList = workers[0]!.select(e);
        expect(new Set(shards.flatMap((s) => [...s.indices]))).toEqual(new Set(epochList.indices));
        // Step by step: each worker trains a batch of 50 of its shard, then all observe the gathered batches.
        for (let s = 0; s < shards[0]!.indices.length; s += 50) {
          const ids = shards.flatMap((sh) => [...sh.indices.subarray(s, s + 50)]);
          const losses = ids.map((id) => fakeLoss(3, id, e));
          for (const w of workers) w.observe(ids, losses);
        }
        const states = workers.map((w) => JSON.stringify(w.state()));
        expect(states[1]).toBe(states[0]);
        expect(states[2]).toBe(states[0]);
      }
    }
  });

  it('state round trip continues with identical selections; observedCount counts losses', () => {
    const p = createPruner({ ...base, policy: 'epsilon-greedy' });
    trainEpoch(p, 0, (id) => id / 1000);
    expect(p.observedCount).toBe(700);
    const saved = JSON.parse(JSON.stringify(p.state()));
    const q = createPruner({ ...base, policy: 'epsilon-greedy' }, saved);
    expect(q.observedCount).toBe(700);
    expect(q.select(1)).toEqual(p.select(1));
  });
});

describe('bad input throws one PrunerError naming field, value and allowed values, and changes nothing', () => {
  const ok: PrunerConfig = { ...base, policy: 'random' };

  it('invalid configs', () => {
    rejects(
      () => createPruner({ ...ok, policy: 'nope' } as CustomPrunerConfig),
      'policy',
      'policy = "nope" is invalid: expected one of full, random, epsilon-greedy, ucb, importance, infobatch, static, orderdp, repb, seta, ramp, reweighted-pool',
    );
    rejects(
      () => createPruner({ ...ok, pruneRatio: 1 }),
      'pruneRatio',
      'pruneRatio = 1 is invalid: expected a number in [0, 1)',
    );
    rejects(() => createPruner({ ...ok, pruneRatio: -0.1 }), 'pruneRatio', /pruneRatio = -0.1/);
    rejects(() => createPruner({ ...ok, pruneRatio: Number.NaN }), 'pruneRatio', /pruneRatio = NaN/);
    rejects(
      () => createPruner({ ...ok, datasetSize: 2.5 }),
      'datasetSize',
      'datasetSize = 2.5 is invalid: expected an integer in [1, 4294967295]',
    );
    rejects(() => createPruner({ ...ok, datasetSize: 0 }), 'datasetSize', /datasetSize = 0/);
    rejects(
      () => createPruner({ ...ok, totalEpochs: 0 }),
      'totalEpochs',
      'totalEpochs = 0 is invalid: expected an integer >= 1',
    );
    rejects(
      () => createPruner({ ...ok, totalEpochs: 2 ** 53 }),
      'totalEpochs',
      'totalEpochs = 9007199254740992 is invalid: expected an integer in [1, 9007199254740991]',
    );
    rejects(() => createPruner({ ...ok, seed: 0.5 }), 'seed', /seed = 0.5/);
    rejects(() => createPruner({ ...ok, interval: 0 }), 'interval', /interval = 0/);
    rejects(
      () => createPruner({ ...ok, warmupEpochs: 6 }),
      'warmupEpochs',
      'warmupEpochs = 6 is invalid: expected an integer in [0, 5]',
    );
    rejects(
      () => createPruner({ ...ok, epsilon: 0.1 } as CustomPrunerConfig),
      'epsilon',
      /no such option for policy 'random'/,
    );
    rejects(
      () => createPruner({ ...ok, policy: 'epsilon-greedy', epsilon: 2 }),
      'epsilon',
      'epsilon = 2 is invalid: expected a number in [0, 1]',
    );
    rejects(
      () => createPruner({ ...ok, policy: 'ucb', c: -0.5 }),
      'c',
      'c = -0.5 is invalid: expected a number in [0, inf)',
    );
    rejects(() => createPruner(null as unknown as PrunerConfig), 'config', /config = null/);
    // Only a left-out option takes its default: null is rejected like any other wrong value.
    rejects(
      () => createPruner({ ...ok, policy: 'ucb', c: null as unknown as number }),
      'c',
      'c = null is invalid: expected a number in [0, inf)',
    );
    rejects(
      () => createPruner({ ...ok, interval: null as unknown as number }),
      'interval',
      'interval = null is invalid: expected an integer >= 1',
    );
    rejects(
      () => createPruner({ ...ok, policy: 'epsilon-greedy', decay: null as unknown as number }),
      'decay',
      /decay = null is invalid/,
    );
    rejects(() => createPruner(ok).isFullDataEpoch(-1), 'epoch', /epoch = -1 is invalid: expected an integer in \[0, /);
  });

  it('observe: mismatched lengths, bad ids, non-finite losses (whole batch checked before any update)', () => {
    const p = createPruner({ ...ok, policy: 'ucb' });
    trainEpoch(p, 0, (id) => id);
    const before = JSON.stringify(p.state());
    rejects(
      () => p.observe([1, 2], [0.1]),
      'losses.length',
      'losses.length = 1 is invalid: expected the same length as sampleIds (2)',
    );
    rejects(
      () => p.observe([5, 1000], [0.1, 0.2]),
      'sampleIds[1]',
      'sampleIds[1] = 1000 is invalid: expected an integer in [0, 999]',
    );
    rejects(() => p.observe(Uint32Array.of(5, 1000), [0.1, 0.2]), 'sampleIds[1]', /= 1000/);
    rejects(() => p.observe(Int32Array.of(5, -1), [0.1, 0.2]), 'sampleIds[1]', /= -1/);
    rejects(() => p.observe([5, 1.5], [0.1, 0.2]), 'sampleIds[1]', /sampleIds\[1\] = 1.5/);
    rejects(
      () => p.observe([5, 6], [0.1, Number.NaN]),
      'losses[1]',
      /^losses\[1\] = NaN is invalid: expected a finite number in \[-1000000000000000, 1000000000000000\]/,
    );
    // Finite but beyond the float32 statistics (UCB's variance would overflow and the saved state could not load).
    rejects(
      () => p.observe([5, 6], [0.1, 1e20]),
      'losses[1]',
      /losses\[1\] = 100000000000000000000 is invalid: .*has the run diverged\?/,
    );
    rejects(
      () => p.observe(Uint32Array.of(5, 6), Float32Array.of(-1e30, 0.1)),
      'losses[0]',
      /losses\[0\] = -1\.0000000150474662e\+30/,
    );
    rejects(() => p.observe([5, 6], Float32Array.of(0.1, Infinity)), 'losses[1]', /losses\[1\] = Infinity/);
    rejects(() => p.observe([5, 6], ['1', 2] as unknown as number[]), 'losses[0]', /losses\[0\] = "1"/);
    rejects(() => p.observe(null as unknown as number[], []), 'sampleIds', /sampleIds = null/);
    expect(JSON.stringify(p.state())).toBe(before);
    expect(p.observedCount).toBe(700);
  });

  it('select: epoch out of range, rank >= worldSize, bad worldSize or dropLast', () => {
    const p = createPruner(ok);
    rejects(() => p.select(5), 'epoch', 'epoch = 5 is invalid: expected an integer in [0, 4]');
    rejects(() => p.select(-1), 'epoch', /epoch = -1/);
    rejects(() => p.select(0, { rank: 2, worldSize: 2 }), 'rank', 'rank = 2 is invalid: expected an integer in [0, 1]');
    rejects(() => p.select(0, { rank: 0, worldSize: 0 }), 'worldSize', /worldSize = 0/);
    rejects(
      () => p.select(0, { rank: 0, worldSize: 2, dropLast: 'yes' as unknown as boolean }),
      'dropLast',
      /dropLast = "yes"/,
    );
  });

  it('a saved state from a different config or a damaged one', () => {
    const p = createPruner({ ...ok, policy: 'ucb' });
    trainEpoch(p, 0, (id) => id);
    const saved = p.state();
    rejects(
      () => createPruner({ ...ok, policy: 'ucb', seed: 9 }, saved),
      'state.fingerprint',
      /expected a state saved with the same config/,
    );
    rejects(() => createPruner({ ...ok, policy: 'ucb', c: 2 }, saved), 'state.fingerprint', /"c":2/);
    rejects(
      () => createPruner({ ...ok, policy: 'ucb' }, { ...saved, version: 2 } as never),
      'state.version',
      /state.version = 2/,
    );
    const damaged = JSON.parse(JSON.stringify(saved));
    damaged.policy.variance = btoa(String.fromCharCode(...new Uint8Array(new Float32Array(1000).fill(-1).buffer)));
    rejects(
      () => createPruner({ ...ok, policy: 'ucb' }, damaged),
      'state.policy.variance[0]',
      /= -1 is invalid: expected a finite number >= 0/,
    );
    const cut = JSON.parse(JSON.stringify(saved));
    cut.current.count = 3;
    rejects(() => createPruner({ ...ok, policy: 'ucb' }, cut), 'state.current.indices.length', /= 700 is invalid/);
  });
});
