import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { augmentBatch, BatchRng, parseAugment } from './index.js';
import { sameBytes } from './test-helpers.js';

function images(n: number, h: number, w: number, c: number, salt: number): Uint8Array {
  const a = new Uint8Array(n * h * w * c);
  for (let i = 0; i < a.length; i++) a[i] = 1 + (((i + salt) * 2654435761) >>> 25); // 1..128: never 0, so zero padding is visible
  return a;
}

const shapeArb = fc.record({
  n: fc.integer({ min: 1, max: 4 }),
  h: fc.integer({ min: 4, max: 12 }),
  w: fc.integer({ min: 4, max: 12 }),
  c: fc.constantFrom(1, 3),
});

describe('crop-flip (CIFAR)', () => {
  it('is a shift of the zero-padded image by at most pad, optionally mirrored (property)', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 4 }), fc.integer(), ({ n, h, w, c }, pad, seed) => {
        const src = images(n, h, w, c, seed);
        const dst = new Uint8Array(src.length);
        augmentBatch(src, dst, n, [h, w, c], parseAugment({ kind: 'crop-flip', pad }), new BatchRng(seed));
        for (let i = 0; i < n; i++) {
          const off = i * h * w * c;
          const at = (a: Uint8Array, y: number, x: number) =>
            y < 0 || y >= h || x < 0 || x >= w ? 0 : a[off + (y * w + x) * c]!;
          // Find the (dy, dx, flip) explaining the output; exactly the crop semantics must hold for one of them.
          let found = false;
          for (let dy = -pad; dy <= pad && !found; dy++) {
            for (let dx = -pad; dx <= pad && !found; dx++) {
              for (const flip of [false, true]) {
                let ok = true;
                for (let y = 0; y < h && ok; y++)
                  for (let x = 0; x < w && ok; x++) ok = at(dst, y, flip ? w - 1 - x : x) === at(src, y + dy, x + dx);
                if (ok) found = true;
              }
            }
          }
          expect(found).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is deterministic per (seed, epoch, batch) and differs between batches', () => {
    const src = images(64, 32, 32, 3, 1);
    const run = (seed: number, epoch: number, batch: number) => {
      const dst = new Uint8Array(src.length);
      augmentBatch(src, dst, 64, [32, 32, 3], parseAugment('crop-flip'), BatchRng.forBatch(seed, epoch, batch));
      return dst;
    };
    const ref = run(7, 3, 11);
    expect(sameBytes(run(7, 3, 11), ref)).toBe(true);
    expect(sameBytes(run(7, 3, 12), ref)).toBe(false);
    expect(sameBytes(run(7, 4, 11), ref)).toBe(false);
    expect(sameBytes(run(8, 3, 11), ref)).toBe(false);
  });

  it('uses every offset in [-pad, pad] and flips about half the images', () => {
    const n = 2000;
    const h = 8;
    const w = 8;
    // Each image: one bright pixel at (4, 3) in an otherwise dark image, so offsets and flips are readable.
    const src = new Uint8Array(n * h * w).fill(1);
    for (let i = 0; i < n; i++) src[i * h * w + 4 * w + 3] = 255;
    const where = (pad: number) => {
      const dst = new Uint8Array(src.length);
      augmentBatch(src, dst, n, [h, w, 1], parseAugment({ kind: 'crop-flip', pad }), new BatchRng(3));
      return Array.from({ length: n }, (_, i) => dst.subarray(i * h * w, (i + 1) * h * w).indexOf(255));
    };
    const shifted = where(2);
    expect(shifted.every((p) => p >= 0)).toBe(true);
    expect([...new Set(shifted.map((p) => Math.floor(p / w) - 4))].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    // Without padding the pixel stays at column 3, or moves to column 4 = 7 - 3 when mirrored.
    const cols = where(0).map((p) => p % w);
    expect(cols.every((x) => x === 3 || x === 4)).toBe(true);
    const flips = cols.filter((x) => x === 4).length;
    expect(flips).toBeGreaterThan(n / 2 - 100);
    expect(flips).toBeLessThan(n / 2 + 100);
  });
});

describe('resized-crop-flip (image folders)', () => {
  it('with scale [1, 1], ratio [1, 1] and no flip it is the identity on square images', () => {
    const src = images(3, 16, 16, 3, 5);
    const dst = new Uint8Array(src.length);
    augmentBatch(
      src,
      dst,
      3,
      [16, 16, 3],
      parseAugment({ kind: 'resized-crop-flip', scale: [1, 1], ratio: [1, 1], flip: false }),
      new BatchRng(1),
    );
    expect(dst).toEqual(src);
  });

  it('keeps a constant image constant (weights sum to one) and is deterministic by seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer(), (v, seed) => {
        const src = new Uint8Array(2 * 20 * 24 * 3).fill(v);
        const a = new Uint8Array(src.length);
        const b = new Uint8Array(src.length);
        const aug = parseAugment('resized-crop-flip');
        augmentBatch(src, a, 2, [20, 24, 3], aug, new BatchRng(seed));
        augmentBatch(src, b, 2, [20, 24, 3], aug, new BatchRng(seed));
        expect(a).toEqual(b);
        expect(a.every((x) => x === v)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('parseAugment', () => {
  it('names the field, value and allowed range', () => {
    expect(() => parseAugment('mixup' as never)).toThrow(
      /augment = 'mixup' is invalid; fix: use one of none, crop-flip, resized-crop-flip/,
    );
    expect(() => parseAugment({ kind: 'crop-flip', pad: -1 })).toThrow(
      /augment.pad = -1 is invalid; fix: use an integer in \[0, 64\]/,
    );
    expect(() => parseAugment({ kind: 'resized-crop-flip', scale: [0.5, 0.2] })).toThrow(
      /augment.scale = \[0.5, 0.2\]/,
    );
    expect(parseAugment()).toEqual({ kind: 'none', pad: 4, flip: true, scale: [0.08, 1], ratio: [0.75, 4 / 3] });
  });
});
