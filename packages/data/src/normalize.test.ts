import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizationTable, normalizeBatch } from './index.js';

describe('normalizeBatch', () => {
  it('computes (v / 255 - mean) / std per channel, for 1, 3 and 4 channels (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 4),
        fc.uint8Array({ minLength: 12, maxLength: 96 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (c, raw, m, s) => {
          const images = raw.subarray(0, raw.length - (raw.length % c));
          const mean = Array.from({ length: c }, (_, i) => (m + i * 0.1) % 1);
          const std = Array.from({ length: c }, (_, i) => s + i * 0.01);
          const x = normalizeBatch(images, { shape: [1, images.length / c, c], mean, std });
          for (let i = 0; i < images.length; i++)
            expect(x[i]).toBeCloseTo((images[i]! / 255 - mean[i % c]!) / std[i % c]!, 4);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reuses `out`, treats a zero std as 1, and rejects a short `out`', () => {
    const table = normalizationTable([0.5], [0], 1);
    const out = new Float32Array(4);
    expect(normalizeBatch(Uint8Array.from([0, 255]), table, out)).toBe(out);
    expect([out[0], out[1]]).toEqual([-0.5, 0.5]);
    expect(() => normalizeBatch(new Uint8Array(8), table, out)).toThrow(/out has 4 elements, need 8/);
  });
});
