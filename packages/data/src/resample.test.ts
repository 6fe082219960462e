import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centreCrop, resizeShorter } from './index.js';

describe('resizeShorter and centreCrop', () => {
  it('keep the aspect ratio and map a constant image to the same constant (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 255 }),
        (h, w, side, v) => {
          const out = resizeShorter(
            { data: new Uint8Array(h * w * 3).fill(v), height: h, width: w, channels: 3 },
            side,
          );
          expect(Math.min(out.height, out.width)).toBe(side);
          expect(Math.abs(out.width / out.height - w / h)).toBeLessThanOrEqual(Math.max(w / h, h / w) / side + 1e-9);
          expect(out.data.every((x) => x === v)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('halving averages 2x2 blocks (antialiased) and the centre crop takes the middle', () => {
    // 4x4 grayscale-as-RGB with 2x2 blocks of 0, 100, 200, 40.
    const blocks = [0, 100, 200, 40];
    const data = new Uint8Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) data.fill(blocks[(y >> 1) * 2 + (x >> 1)]!, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
    const half = resizeShorter({ data, height: 4, width: 4, channels: 3 }, 2);
    // The triangle filter's support covers a pixel of each neighbouring block with weight 1/8: 0.75 own + 0.25 others.
    const v = [...half.data.filter((_, i) => i % 3 === 0)];
    expect(v[0]).toBeLessThan(v[1]!);
    expect(v[3]).toBeLessThan(v[2]!);
    expect(Math.round((v[0]! + v[1]! + v[2]! + v[3]!) / 4)).toBe(85);
    const crop = centreCrop({ data, height: 4, width: 4, channels: 3 }, 2);
    expect([...crop.data.filter((_, i) => i % 3 === 0)]).toEqual([0, 100, 200, 40]);
  });
});
