import { describe, expect, it } from 'vitest';
import { encodeTyped } from './encode.js';
import { el2n } from './scores/el2n.js';
import { lossEma } from './scores/loss-ema.js';
import type { TrackerState } from './tracker.js';

/** A copy of `state` with array `key` replaced by `values`. */
function withArray(state: unknown, key: string, values: Float32Array): TrackerState {
  const s = structuredClone(state) as TrackerState;
  s.arrays[key] = encodeTyped(values);
  return s;
}

describe('ArrayTracker.load checks values, not only lengths', () => {
  it('refuses non-finite values in a float array and keeps its own state', () => {
    const t = el2n.create(2);
    t.update({ ids: [0, 1], logits: Float32Array.from([0, 1, 2, 0]), labels: [0, 0], numClasses: 2 });
    const before = JSON.stringify(t.state());
    for (const bad of [Number.NaN, Infinity]) {
      expect(() => t.load(withArray(t.state(), 'last', Float32Array.of(0.5, bad)))).toThrow(
        new RegExp(`array 'last' holds ${bad} at index 1: expected finite values`),
      );
    }
    expect(JSON.stringify(t.state())).toBe(before);
    expect(t.values().every(Number.isFinite)).toBe(true);
  });

  it('loss-ema: NaN marks a never-observed mean and loads; an infinite mean or a negative variance does not', () => {
    const t = lossEma.create(2);
    t.update({ ids: [0], losses: [0.7] });
    const fresh = lossEma.create(2);
    fresh.load(JSON.parse(JSON.stringify(t.state())));
    expect(Array.from(fresh.values())).toEqual(Array.from(t.values()));
    expect(() => fresh.load(withArray(t.state(), 'ema', Float32Array.of(0.7, 0, Infinity, 0)))).toThrow(
      /holds mean Infinity for sample 1/,
    );
    expect(() => fresh.load(withArray(t.state(), 'ema', Float32Array.of(0.7, -1, Number.NaN, 0)))).toThrow(
      /holds variance -1 for sample 0: expected a finite number >= 0/,
    );
  });
});
