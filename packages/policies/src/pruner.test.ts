import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError } from './index.js';

const base = { datasetSize: 1000, pruneRatio: 0.3, totalEpochs: 5, seed: 7 };

describe('createPruner', () => {
  it('random keeps k = N - floor(rN) distinct in-range ids with weight 1', () => {
    const p = createPruner({ ...base, policy: 'random' });
    const { indices, weights } = p.select(0);
    expect(indices.length).toBe(700);
    expect(new Set(indices).size).toBe(700);
    expect(Math.max(...indices)).toBeLessThan(1000);
    expect(weights.every((w) => w === 1)).toBe(true);
  });

  it('full returns every sample in a seed-dependent shuffled order', () => {
    const a = createPruner({ ...base, policy: 'full' }).select(1).indices;
    const b = createPruner({ ...base, policy: 'full', seed: 8 }).select(1).indices;
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect(a).not.toEqual(b);
  });

  it('is deterministic by seed and differs across epochs', () => {
    const a = createPruner({ ...base, policy: 'random' });
    const b = createPruner({ ...base, policy: 'random' });
    expect(a.select(2).indices).toEqual(b.select(2).indices);
    expect(new Set(a.select(1).indices)).not.toEqual(new Set(a.select(2).indices));
  });

  it('interval keeps the same subset in a new order', () => {
    const p = createPruner({ ...base, policy: 'random', interval: 2 });
    const e0 = p.select(0).indices;
    const e1 = p.select(1).indices;
    expect(new Set(e0)).toEqual(new Set(e1));
    expect(e0).not.toEqual(e1);
  });

  it('warm-up and anneal epochs use all data', () => {
    const p = createPruner({ ...base, policy: 'random', warmupEpochs: 1, annealEpochs: 1 });
    expect(p.select(0).indices.length).toBe(1000);
    expect(p.select(1).indices.length).toBe(700);
    expect(p.select(4).indices.length).toBe(1000);
  });

  it('shards are disjoint, equally long and cover the selection', () => {
    const p = createPruner({ ...base, policy: 'random' });
    const all = p.select(3).indices;
    const shards = [0, 1, 2].map((rank) => p.select(3, { rank, worldSize: 3 }).indices);
    expect(shards.map((s) => s.length)).toEqual([234, 234, 234]);
    const union = new Set(shards.flatMap((s) => [...s]));
    expect(union).toEqual(new Set(all));
  });

  it('state round trip continues with identical selections', () => {
    const p = createPruner({ ...base, policy: 'random' });
    p.select(0);
    p.observe([1, 2, 3], [0.5, 0.25, 1]);
    const saved = JSON.parse(JSON.stringify(p.state()));
    const q = createPruner({ ...base, policy: 'random' }, saved);
    expect(q.select(1)).toEqual(p.select(1));
  });

  it('rejects invalid input with a PrunerError naming the field', () => {
    expect(() => createPruner({ ...base, policy: 'nope' })).toThrow(/policy = "nope" is invalid: expected one of full, random/);
    expect(() => createPruner({ ...base, policy: 'random', pruneRatio: 1 })).toThrow(PrunerError);
    expect(() => createPruner({ ...base, policy: 'random', datasetSize: 2.5 })).toThrow(/datasetSize = 2.5/);
    expect(() => createPruner({ ...base, policy: 'random', totalEpochs: 0 })).toThrow(/totalEpochs/);
    const p = createPruner({ ...base, policy: 'random' });
    expect(() => p.observe([1, 2], [0.1])).toThrow(/losses.length/);
    expect(() => p.observe([1000], [0.1])).toThrow(/sampleIds\[0\] = 1000/);
    expect(() => p.observe([1], [Number.NaN])).toThrow(/losses\[0\] = NaN/);
    expect(() => p.select(5)).toThrow(/epoch = 5/);
    expect(() => p.select(0, { rank: 2, worldSize: 2 })).toThrow(/rank = 2/);
    const other = createPruner({ ...base, policy: 'random', seed: 9 }).state();
    expect(() => createPruner({ ...base, policy: 'random' }, other)).toThrow(/state/);
  });
});
