import { describe, expect, it } from 'vitest';
import { decodeFloat32, decodeUint32, encodeTyped, hashFloat32 } from './codec.js';
import { ceilOf, floorOf, keepCount } from './count.js';
import { PrunerError } from './errors.js';

describe('codec', () => {
  it('round-trips typed arrays (also subarray views and > 32 KiB) through base64', () => {
    const big = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i));
    const back = decodeFloat32('x', encodeTyped(big), big.length);
    expect(back.every((x, i) => Object.is(x, big[i]))).toBe(true);
    const view = Uint32Array.from([1, 2, 3, 4]).subarray(1, 3);
    expect([...decodeUint32('x', encodeTyped(view), 2)]).toEqual([2, 3]);
  });

  it('rejects a wrong length or a non-string with a PrunerError naming the field', () => {
    const s = encodeTyped(new Float32Array(3));
    expect(() => decodeFloat32('state.policy.mean', s, 4)).toThrow(/state\.policy\.mean\.length = 3 is invalid/);
    expect(() => decodeFloat32('state.policy.mean', 5, 4)).toThrow(PrunerError);
  });

  it('hashes float arrays: equal content equal hash, one flipped bit a different one', () => {
    const a = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
    const b = a.slice();
    expect(hashFloat32(b)).toBe(hashFloat32(a));
    b[500] = Math.fround(b[500]! * (1 + 2 ** -20));
    expect(hashFloat32(b)).not.toBe(hashFloat32(a));
    expect(hashFloat32(a)).toMatch(/^f32:1000:[0-9a-f]{16}$/);
  });
});

describe('counts', () => {
  it('floor(r * N) counts a product within float64 rounding (4 ε) of an integer as that integer', () => {
    expect(0.29 * 100).toBeLessThan(29);
    expect(floorOf(0.29, 100)).toBe(29);
    expect(floorOf(0.7, 10)).toBe(7);
    expect(floorOf(0.5, 3)).toBe(1);
    expect(keepCount(0.7, 1281167)).toBe(1281167 - 896816);
    expect(keepCount(0.99, 10)).toBe(1);
    expect(() => keepCount(Number.NaN, 10)).toThrow('pruneRatio = NaN is invalid');
    expect(() => keepCount(0.5, 0)).toThrow('n = 0 is invalid: expected an integer >= 1');
    expect(ceilOf(0.28, 25)).toBe(7);
    expect(ceilOf(0.875, 3)).toBe(3);
  });

  it('never moves a really fractional product to the next integer, however large N is', () => {
    expect(keepCount(0.5, 2 ** 32 - 1)).toBe(2 ** 31); // 0.5 * (2^32 - 1) = 2147483647.5: floor prunes 2^31 - 1
    const r = 896816.9995 / 1281167; // r * N is 896816.9995 up to rounding
    expect(keepCount(r, 1281167)).toBe(1281167 - 896816);
    expect(floorOf(0.7, 2 ** 40 + 1)).toBe(Math.floor(0.7 * (2 ** 40 + 1)));
  });

  it('agrees with exact decimal arithmetic for every two-decimal ratio and N up to 2000 and at dataset sizes', () => {
    for (let pct = 1; pct < 100; pct++) {
      for (const n of [...Array.from({ length: 2000 }, (_, i) => i + 1), 50000, 60000, 1281167]) {
        const exact = Math.floor((pct * n) / 100); // integer arithmetic: exact
        const got = floorOf(pct / 100, n);
        if (got !== exact) throw new Error(`floorOf(${pct / 100}, ${n}) = ${got}, exact ${exact}`);
        const up = ceilOf(pct / 100, n);
        const exactUp =
          Math.ceil((pct * n) / 100) === (pct * n) / 100 ? (pct * n) / 100 : Math.floor((pct * n) / 100) + 1;
        if (up !== exactUp) throw new Error(`ceilOf(${pct / 100}, ${n}) = ${up}, exact ${exactUp}`);
      }
    }
  });
});
