import { describe, expect, it } from 'vitest';
import { EmaTracker, lossEma } from './loss-ema.js';

describe('loss-ema', () => {
  it('ranks by the EMA mean, or mean + c * std (hand-checked, decay 0.5)', () => {
    const t = lossEma.create(2, { decay: 0.5 });
    t.update({ ids: [0, 1], losses: [2, 1] });
    t.update({ ids: [0], losses: [4] });
    // sample 0: mean 2 -> 3, var 0 -> 0.5 * (0 + 0.5 * 2^2) = 1
    expect(Array.from(t.values())).toEqual([3, 1]);
    expect(Array.from((t as EmaTracker).variance())).toEqual([1, 0]);
    const u = lossEma.create(2, { decay: 0.5, stdWeight: 2 });
    u.update({ ids: [0, 1], losses: [2, 1] });
    u.update({ ids: [0], losses: [4] });
    expect(Array.from(u.values())).toEqual([3 + 2 * 1, 1]);
  });

  it('defaults to decay 0.9 and validates its options', () => {
    const t = lossEma.create(1);
    t.update({ ids: [0], losses: [1] });
    t.update({ ids: [0], losses: [2] });
    expect(t.values()[0]).toBeCloseTo(1.1, 6);
    expect(() => lossEma.create(1, { decay: 1 })).toThrow(/decay = 1 is invalid: expected a finite number in \[0, 1\)/);
    expect(() => lossEma.create(1, { stdWeight: -1 })).toThrow(/stdWeight = -1 is invalid/);
    expect(() => lossEma.create(1, { stdWeight: null })).toThrow(/stdWeight = null is invalid/); // null is not "left out"
    expect(() => lossEma.create(1, { beta: 0.9 })).toThrow(
      /option 'beta' = 0.9 is not an option of score 'loss-ema'; fix: remove it \(options of 'loss-ema': decay, stdWeight\)/,
    );
  });
});
