import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchRng, deriveSeed } from './index.js';

describe('BatchRng', () => {
  it('int(n) stays in [0, n) and is roughly uniform', () => {
    const rng = new BatchRng(42);
    const counts = new Array(9).fill(0);
    for (let i = 0; i < 90_000; i++) counts[rng.int(9)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const v = new BatchRng(seed).int(n);
        expect(v >= 0 && v < n && Number.isInteger(v)).toBe(true);
      }),
    );
  });

  it('each (seed, epoch, batch) has its own reproducible stream', () => {
    const first = (s: number, e: number, b: number) => BatchRng.forBatch(s, e, b).nextUint32();
    expect(first(1, 2, 3)).toBe(first(1, 2, 3));
    const seen = new Set<number>();
    for (let s = 0; s < 4; s++) for (let e = 0; e < 10; e++) for (let b = 0; b < 50; b++) seen.add(first(s, e, b));
    expect(seen.size).toBe(2000);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
  });
});
