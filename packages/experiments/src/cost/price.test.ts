import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FREE_METHOD, priceEpochs, type MethodPrice, type PriceConstants } from './price.js';

const N = 50_000;
const constants = fc.record({
  sample: fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
  epoch: fc.double({ min: 0, max: 5, noNaN: true }),
  first: fc.double({ min: 0, max: 60, noNaN: true }),
});
const method = fc.record({
  selectPerEpoch: fc.double({ min: 0, max: 0.1, noNaN: true }),
  observePerSample: fc.double({ min: 0, max: 1e-6, noNaN: true }),
});
const epochs = fc.integer({ min: 1, max: 100 });

describe('priceEpochs', () => {
  it('prices a run by its epochs: first + Σ (epoch + select + (sample + observe) · samples)', () => {
    const c: PriceConstants = { sample: 0.001, epoch: 0.5, first: 4 };
    const m: MethodPrice = { selectPerEpoch: 0.01, observePerSample: 1e-6 };
    expect(priceEpochs([1000, 500], c, m)).toBeCloseTo(4 + 2 * 0.51 + 0.001001 * 1500, 12);
    expect(priceEpochs([], c, m)).toBe(0);
  });

  it('full data against itself is 1.00×', () => {
    fc.assert(
      fc.property(constants, epochs, (c, e) => {
        const full = priceEpochs(new Array<number>(e).fill(N), c);
        expect(full / priceEpochs(new Array<number>(e).fill(N), c)).toBe(1);
      }),
    );
  });

  it('half the samples every epoch is at most 2× faster and at least 1 / (0.5 + overhead share)', () => {
    fc.assert(
      fc.property(constants, method, epochs, (c, m, e) => {
        const full = priceEpochs(new Array<number>(e).fill(N), c);
        const half = priceEpochs(new Array<number>(e).fill(N / 2), c, m);
        // Overhead: everything of the half run that is not the full run's per-sample step cost.
        const overhead = c.first + e * (c.epoch + m.selectPerEpoch) + m.observePerSample * e * (N / 2);
        const speedup = full / half;
        expect(speedup).toBeLessThanOrEqual(2 + 1e-12);
        expect(speedup).toBeGreaterThanOrEqual(1 / (0.5 + overhead / full) - 1e-12);
      }),
    );
  });

  it('is monotone in the samples trained: one more sample in any epoch never costs less', () => {
    fc.assert(
      fc.property(
        constants,
        method,
        fc.array(fc.integer({ min: 0, max: N - 1 }), { minLength: 1, maxLength: 50 }),
        fc.nat(),
        (c, m, samples, at) => {
          const more = samples.slice();
          more[at % samples.length]! += 1;
          expect(priceEpochs(more, c, m)).toBeGreaterThan(priceEpochs(samples, c, m));
        },
      ),
    );
  });

  it('an equal-steps run (full data, fewer epochs) costs its share of the epochs, plus the one-off first epoch', () => {
    const c: PriceConstants = { sample: 1e-3, epoch: 0.2, first: 10 };
    const full = priceEpochs(new Array<number>(80).fill(N), c, FREE_METHOD);
    const equalSteps = priceEpochs(new Array<number>(40).fill(N), c, FREE_METHOD);
    expect(full - 10).toBeCloseTo(2 * (equalSteps - 10), 9);
  });
});
