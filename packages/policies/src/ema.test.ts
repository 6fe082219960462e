import { describe, expect, it } from 'vitest';
import { createLossEma, emaMeans, emaVariances, isObserved, updateLossEma } from './ema.js';

describe('updateLossEma', () => {
  it('starts at the first loss with zero variance, then follows the exponentially weighted recurrences', () => {
    const ema = createLossEma(3);
    expect(isObserved(ema, 1)).toBe(false);
    const d = 0.8;
    const xs = [2, 1, 4, 3];
    let m = 0;
    let v = 0;
    xs.forEach((x, i) => {
      updateLossEma(ema, [1], [x], d);
      if (i === 0) {
        m = x;
        v = 0;
      } else {
        const delta = x - m;
        m = Math.fround(m + (1 - d) * delta);
        v = Math.fround(d * (v + (1 - d) * delta * delta));
      }
      expect(emaMeans(ema)[1]).toBe(m);
      expect(emaVariances(ema)![1]).toBe(v);
    });
    expect(Number.isNaN(emaMeans(ema)[0])).toBe(true);
    expect(isObserved(ema, 1)).toBe(true);
    expect(isObserved(ema, 2)).toBe(false);
  });

  it('converges to the mean and variance of a stationary two-point loss', () => {
    const ema = createLossEma(1);
    for (let i = 0; i < 5000; i++) updateLossEma(ema, [0], [i % 2 ? 3 : 1], 0.99);
    expect(emaMeans(ema)[0]).toBeCloseTo(2, 1);
    expect(emaVariances(ema)![0]).toBeCloseTo(1, 1);
  });

  it('decay 0 keeps just the last loss; a mean-only state keeps no variance', () => {
    const ema = createLossEma(2, { variance: false });
    updateLossEma(ema, [0, 0, 1], [5, 7, 1], 0);
    expect([...emaMeans(ema)]).toEqual([7, 1]);
    expect(emaVariances(ema)).toBeNull();
    expect(ema.data.length).toBe(2);
  });
});
