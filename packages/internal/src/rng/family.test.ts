import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, mix32, splitmix32 } from './mix32.js';
import { Mulberry32 } from './mulberry32.js';
import { moduloInt, uniformFloat, type Uint32Source } from './source.js';
import { SplitMix32 } from './splitmix32.js';
import { Xoshiro128 } from './xoshiro128.js';

const take = (g: Uint32Source, n: number) => Array.from({ length: n }, () => g.nextUint32());

describe('the RNG family', () => {
  it('property: every generator restored from its state continues the same stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(50), (seed, skip) => {
        const x = new Xoshiro128(seed);
        const m = new Mulberry32(seed);
        const s = new SplitMix32(seed);
        for (const g of [x, m, s]) take(g, skip);
        expect(take(new Xoshiro128(x.state()), 20)).toEqual(take(x, 20));
        expect(take(new Mulberry32(m.state()), 20)).toEqual(take(m, 20));
        expect(take(new SplitMix32(s.state()), 20)).toEqual(take(s, 20));
      }),
    );
  });

  it('xoshiro128** fill() gives the values nextUint32() would, in order', () => {
    const a = new Xoshiro128(9);
    const b = new Xoshiro128(9);
    expect([...a.fill(new Uint32Array(100))]).toEqual(take(b, 100));
  });

  it('splitmix32 is mix32 of the golden-ratio counter; every output is a uint32', () => {
    const g = new SplitMix32(5);
    expect(g.nextUint32()).toBe(splitmix32(5));
    fc.assert(
      fc.property(fc.integer(), (x) => {
        for (const v of [
          mix32(x),
          splitmix32(x),
          deriveSeed(x, 1),
          new Mulberry32(x).nextUint32(),
          new Xoshiro128(x).nextUint32(),
        ]) {
          expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
        }
      }),
    );
  });

  it('moduloInt stays in [0, n) and uniformFloat in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const g = new Mulberry32(seed);
        const v = moduloInt(g, n);
        expect(Number.isInteger(v) && v >= 0 && v < n).toBe(true);
        const f = uniformFloat(g);
        expect(f >= 0 && f < 1).toBe(true);
      }),
    );
  });
});
