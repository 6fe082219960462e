import { describe, expect, it } from 'vitest';
import { shardOf, shardSlack } from './shard.js';

const list = Uint32Array.from([10, 11, 12, 13, 14, 15, 16]);
const w = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);

describe('shardOf (DistributedSampler rule)', () => {
  it('pads with the first entries: 7 entries over 3 workers -> 3 each, entries 10 and 11 twice', () => {
    const s = [0, 1, 2].map((rank) => [...shardOf(list, w, { rank, worldSize: 3 }).indices]);
    expect(s).toEqual([
      [10, 13, 16],
      [11, 14, 10],
      [12, 15, 11],
    ]);
    expect(shardSlack(7, 3)).toBe(2);
    expect([...shardOf(list, w, { rank: 1, worldSize: 3 }).weights]).toEqual([2, 5, 1]);
  });

  it('repeats the list cyclically when there are fewer entries than workers', () => {
    const s = [0, 1, 2, 3, 4].map((rank) => [
      ...shardOf(list.subarray(0, 2), w.subarray(0, 2), { rank, worldSize: 5 }).indices,
    ]);
    expect(s).toEqual([[10], [11], [10], [11], [10]]);
  });

  it('dropLast cuts the last entries: 7 over 3 -> 2 each, entry 16 left out', () => {
    const s = [0, 1, 2].map((rank) => [...shardOf(list, w, { rank, worldSize: 3, dropLast: true }).indices]);
    expect(s).toEqual([
      [10, 13],
      [11, 14],
      [12, 15],
    ]);
    expect(shardSlack(7, 3, true)).toBe(1);
    expect(shardOf(list, w, { rank: 0, worldSize: 8, dropLast: true }).indices.length).toBe(0);
  });

  it('refuses a rank outside the world, an empty world, and weights that do not match the indices', () => {
    expect(() => shardOf(list, w, { rank: 5, worldSize: 2 })).toThrow(
      'rank = 5 is invalid: expected an integer in [0, 1]',
    );
    expect(() => shardOf(list, w, { rank: 0, worldSize: 0 })).toThrow(
      'worldSize = 0 is invalid: expected an integer in [1, 4294967295]',
    );
    expect(() => shardOf(list, w.subarray(0, 3), { rank: 0, worldSize: 2 })).toThrow(
      'weights.length = 3 is invalid: expected 7 (one weight per index)',
    );
    expect(() => shardSlack(10, 0)).toThrow(/worldSize = 0 is invalid/);
    expect(() => shardSlack(Number.NaN, 2)).toThrow(/n = NaN is invalid/);
  });
});
