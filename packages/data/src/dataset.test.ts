import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelStats } from './index.js';

describe('channelStats', () => {
  it('equals the direct per-channel mean and population std (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3), fc.uint8Array({ minLength: 6, maxLength: 300 }), (c, raw) => {
        const images = raw.subarray(0, raw.length - (raw.length % c));
        const { mean, std } = channelStats(images, c);
        for (let ch = 0; ch < c; ch++) {
          const vals = [...images].filter((_, i) => i % c === ch).map((v) => v / 255);
          const m = vals.reduce((a, b) => a + b, 0) / vals.length;
          const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
          expect(mean[ch]).toBeCloseTo(m, 10);
          expect(std[ch]).toBeCloseTo(sd, 6);
        }
      }),
      { numRuns: 50 },
    );
  });
});
