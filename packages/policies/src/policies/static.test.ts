import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError } from '../index.js';

const N = 100;
// Distinct scores in a scrambled order: score rank r belongs to id (r * 37) % 100.
const scores = new Float32Array(N);
for (let r = 0; r < N; r++) scores[(r * 37) % N] = N - r;
const rankIds = (from: number, to: number) =>
  [...Array(to - from).keys()].map((i) => ((from + i) * 37) % N).sort((a, b) => a - b);
const base = { policy: 'static', datasetSize: N, pruneRatio: 0.7, totalEpochs: 4, seed: 3, scores };

describe('static', () => {
  it('keeps the k highest scores, the same subset every epoch in a new order, ignoring losses', () => {
    const p = createPruner(base);
    const a = p.select(0).indices;
    p.observe(
      a,
      Float32Array.from(a, () => 1e6),
    );
    const b = p.select(1).indices;
    expect([...a].sort((x, y) => x - y)).toEqual(rankIds(0, 30));
    expect([...b].sort((x, y) => x - y)).toEqual(rankIds(0, 30));
    expect([...a]).not.toEqual([...b]);
  });

  it('with an offset keeps the window of score ranks [offset, offset + k)', () => {
    const p = createPruner({ ...base, offset: 10 });
    expect([...p.select(0).indices].sort((x, y) => x - y)).toEqual(rankIds(10, 40));
    expect(() => createPruner({ ...base, offset: 71 })).toThrow(
      'offset = 71 is invalid: expected an integer in [0, 70]',
    );
  });

  it('breaks tied scores by seed, consistently between the top and the window', () => {
    const flat = new Float32Array(N).fill(1);
    const pick = (seed: number, offset = 0, s = flat) =>
      new Set(createPruner({ ...base, scores: s, seed, offset }).select(0).indices);
    expect(pick(1)).not.toEqual(pick(2));
    expect(pick(1).size).toBe(30);
    // Tied groups straddling both edges of the window: 20 samples score 3 (ranks 0-19), 40 score 2 (ranks 20-59),
    // 40 score 1. The window of ranks [10, 40) must be 10 of the 3s and 20 of the 2s under one tie-break order,
    // whatever the seed: never a 1, never more or fewer of a group.
    const grouped = new Float32Array(N);
    for (let i = 0; i < N; i++) grouped[(i * 37) % N] = i < 20 ? 3 : i < 60 ? 2 : 1;
    const chosenThrees = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const window = [...pick(seed, 10, grouped)];
      const count = (v: number) => window.filter((id) => grouped[id] === v).length;
      expect([count(3), count(2), count(1)]).toEqual([10, 20, 0]);
      chosenThrees.add(
        window
          .filter((id) => grouped[id] === 3)
          .sort((x, y) => x - y)
          .join(','),
      );
    }
    expect(chosenThrees.size).toBeGreaterThan(15); // the seed decides which tied samples fall in the window
  });

  it('validates the score array', () => {
    expect(() => createPruner({ ...base, scores: undefined })).toThrow(
      /scores = undefined is invalid: expected a Float32Array .* \(required/,
    );
    expect(() => createPruner({ ...base, scores: new Float32Array(99) })).toThrow(
      'scores.length = 99 is invalid: expected 100 (datasetSize)',
    );
    const bad = scores.slice();
    bad[7] = Number.NaN;
    expect(() => createPruner({ ...base, scores: bad })).toThrow(/scores\[7\] = NaN/);
    expect(() => createPruner({ ...base, scores: Array.from(scores, (x, i) => (i === 3 ? 1e300 : x)) })).toThrow(
      /scores\[3\] = 1e\+300/,
    );
    expect(() => createPruner({ ...base, scores: 'abc' })).toThrow(PrunerError);
    expect(createPruner({ ...base, scores: Array.from(scores) }).select(0)).toEqual(createPruner(base).select(0));
  });

  it('fingerprints the scores by hash, not by value: small state, and other scores cannot restore it', () => {
    const big = Float32Array.from({ length: 50000 }, (_, i) => Math.cos(i));
    const config = { ...base, datasetSize: 50000, scores: big };
    const state = createPruner(config).state();
    expect(JSON.stringify(state).length).toBeLessThan(1000);
    expect(state.fingerprint).toMatch(/"scores":"f32:50000:[0-9a-f]{16}"/);
    const other = big.slice();
    other[0] = 2;
    expect(() => createPruner({ ...config, scores: other }, state)).toThrow(/state\.fingerprint/);
    // The user's array is copied: changing it later changes nothing.
    const p = createPruner(config);
    const before = p.select(0).indices.slice().sort();
    big.fill(0);
    expect(p.select(1).indices.slice().sort()).toEqual(before);
  });
});
