import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/summary.js';
import { bandOf, chanceHistogram, epochFractions, methodSpread, spreadOf } from './spread.js';

describe('selection spread', () => {
  it('puts k of E epochs in its band: never, ≤ 10%, between, ≥ 90% (not all), every epoch', () => {
    expect([0, 1, 8, 9, 71, 72, 79, 80].map((k) => bandOf(k, 80))).toEqual([
      'never',
      'rarely',
      'rarely',
      'sometimes',
      'sometimes',
      'mostly',
      'mostly',
      'always',
    ]);
    // Three epochs: no room for "rarely" or "mostly".
    expect([0, 1, 2, 3].map((k) => bandOf(k, 3))).toEqual(['never', 'sometimes', 'sometimes', 'always']);
    expect(spreadOf([1, 2, 3, 4], 3)).toEqual({ never: 0.1, rarely: 0, sometimes: 0.5, mostly: 0, always: 0.4 });
    expect(spreadOf([], 3)).toEqual({ never: 0, rarely: 0, sometimes: 0, mostly: 0, always: 0 });
  });

  it('chance: the binomial for a fixed share, a distribution whose mean is the sum of the shares for any', () => {
    const h = chanceHistogram([0.3, 0.3, 0.3]);
    expect([...h].map((x) => +x.toFixed(6))).toEqual([0.343, 0.441, 0.189, 0.027]);
    expect([...chanceHistogram([1, 0, 1])]).toEqual([0, 0, 1, 0]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 120 }), (fs) => {
        const p = chanceHistogram(fs);
        expect(p.length).toBe(fs.length + 1);
        expect(p.every((x) => x >= 0)).toBe(true);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(p.reduce((a, x, k) => a + k * x, 0)).toBeCloseTo(
          fs.reduce((a, b) => a + b, 0),
          6,
        );
      }),
    );
  });

  it("a method's bands: measured from its histograms, chance from the sizes it trained, averaged over seeds", () => {
    // 10 samples, 2 epochs of 5 samples: a static subset (5 always, 5 never) against 1/4, 1/2, 1/4 by chance.
    const run = (histogram: number[]) =>
      ({
        config: { epochs: 2 },
        trainedFraction: 0.5,
        samplesTrained: 10,
        epochs: [{ samples: 5 }, { samples: 5 }],
        selection: { histogram },
      }) as unknown as RunSummary;
    expect(epochFractions(run([5, 0, 5]))).toEqual([0.5, 0.5]);
    const { measured, chance } = methodSpread([run([5, 0, 5]), run([0, 10, 0])], 2);
    expect(measured).toEqual({ never: 0.25, rarely: 0, sometimes: 0.5, mostly: 0, always: 0.25 });
    expect(chance).toEqual({ never: 0.25, rarely: 0, sometimes: 0.5, mostly: 0, always: 0.25 });
  });
});
