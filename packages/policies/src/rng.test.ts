import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, SIGN, signedBelow, streamRng } from './rng.js';

describe('Rng', () => {
  it('fill() yields exactly the nextUint32() stream and leaves the same state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const block = b.fill(new Uint32Array(1000));
    for (let i = 0; i < 1000; i++) expect(block[i]).toBe(a.nextUint32());
    expect(b.state()).toEqual(a.state());
  });

  it('gives unrelated streams to seeds that differ only in their high word, and refuses non-integer seeds', () => {
    const first = (seed: number) => Array.from(new Rng(seed).fill(new Uint32Array(4)));
    const seeds = [0, -1, 2 ** 32, 2 ** 32 + 1, 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    const streams = new Set(seeds.map((s) => first(s).join(',')));
    expect(streams.size).toBe(seeds.length);
    expect(first(42)).toEqual(first(42));
    expect(() => new Rng(0.5)).toThrow('seed = 0.5 is invalid: expected a safe integer (or a saved RngState)');
    expect(() => new Rng(Number.NaN)).toThrow(/seed = NaN/);
  });

  it('continues the same stream after a JSON round trip of its state', () => {
    const a = new Rng(7);
    for (let i = 0; i < 10; i++) a.nextUint32();
    const b = new Rng(JSON.parse(JSON.stringify(a.state())));
    for (let i = 0; i < 100; i++) expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('int(n) stays in [0, n) for small, Lemire-range and huge n', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.int(n);
          expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
        }
      }),
    );
  });

  it('int(n) refuses n outside [1, 2^32] instead of looping forever or returning NaN', () => {
    const r = new Rng(1);
    for (const n of [0, -1, 2.5, Number.NaN, Infinity, 2 ** 32 + 1])
      expect(() => r.int(n)).toThrow(`n = ${n} is invalid: expected an integer in [1, 4294967296]`);
    expect(r.int(1)).toBe(0);
    expect(r.int(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('streamRng refuses seeds, epochs and streams it would truncate', () => {
    expect(() => streamRng(0.5, 0, 0)).toThrow('seed = 0.5 is invalid');
    expect(() => streamRng(Number.NaN, 0, 0)).toThrow('seed = NaN is invalid');
    expect(() => streamRng(0, -1, 0)).toThrow('epoch = -1 is invalid: expected an integer in [0, 4294967295]');
    expect(() => streamRng(0, 0, 2 ** 32)).toThrow('stream = 4294967296 is invalid');
  });

  it('int(3) is uniform (chi-square over 30,000 draws)', () => {
    const r = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.int(3)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(13.8); // p = 0.001 at 2 degrees of freedom
  });

  it('shuffle gives each of the 6 permutations of 3 items equally often', () => {
    const r = new Rng(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 24000; i++) {
      const key = r.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 4000) ** 2 / 4000, 0);
    expect(chi2).toBeLessThan(20.5); // p = 0.001 at 5 degrees of freedom
  });

  it('partialShuffle draws distinct entries and moves paired values along', () => {
    const a = Uint32Array.from({ length: 50 }, (_, i) => i);
    const b = Float32Array.from(a, (x) => x * 2);
    new Rng(5).partialShuffle(a, 10, 50, 15, b);
    expect([...a.subarray(0, 10)]).toEqual([...Array(10).keys()]);
    expect(new Set(a).size).toBe(50);
    a.forEach((x, i) => expect(b[i]).toBe(x * 2));
  });

  it('shuffleRange16 is a uniform shuffle of the range only, moving paired values along', () => {
    const r = new Rng(4);
    const counts = new Map<string, number>();
    const block = new Uint32Array(7);
    for (let t = 0; t < 24000; t++) {
      const a = Uint32Array.of(9, 0, 1, 2, 9);
      const b = Float32Array.from(a, (x) => x + 0.5);
      r.shuffleRange16(a, b, 1, 4, block);
      expect(a[0]).toBe(9);
      expect(a[4]).toBe(9);
      a.forEach((x, i) => expect(b[i]).toBe(x + 0.5));
      const key = [...a.subarray(1, 4)].join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 4000) ** 2 / 4000, 0);
    expect(chi2).toBeLessThan(20.5); // p = 0.001 at 5 degrees of freedom
    const big = Uint32Array.from({ length: 65536 }, (_, i) => i);
    r.shuffleRange16(big, null, 0, 65536, block);
    expect(new Set(big).size).toBe(65536);
  });

  it('streamRng separates seeds, epochs and streams', () => {
    const first = (s: number, e: number, k: number) => streamRng(s, e, k).nextUint32();
    const seen = new Set<number>();
    for (let s = 0; s < 10; s++) for (let e = 0; e < 10; e++) for (let k = 0; k < 3; k++) seen.add(first(s, e, k));
    expect(seen.size).toBe(300);
    expect(first(2 ** 40, 0, 0)).not.toBe(first(0, 0, 0));
  });
});

describe('signedBelow', () => {
  it('the int32 test of a draw read through an Int32Array equals the unsigned test x < t, for t in [1, 2^32]', () => {
    const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    // Edges included: the smallest and largest thresholds, draws at and around the sign bit.
    const draw = fc.oneof(uint32, fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1));
    const threshold = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 32 }),
      fc.constantFrom(1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32),
    );
    const view = new Int32Array(1);
    fc.assert(
      fc.property(draw, threshold, (x, t) => {
        new Uint32Array(view.buffer)[0] = x;
        expect((view[0]! ^ SIGN) <= signedBelow(t)).toBe(x < t);
      }),
      { numRuns: 2000 },
    );
  });
});
