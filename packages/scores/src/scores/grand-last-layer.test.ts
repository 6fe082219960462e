import { describe, expect, it } from 'vitest';
import { grandLastLayer } from './grand-last-layer.js';

describe('grand-last-layer', () => {
  it('is ||p - y|| * sqrt(||h||^2 + 1) (hand-checked)', () => {
    const t = grandLastLayer.create(2);
    // p = [1/4, 3/4], label 1: ||p - y||^2 = 1/8; ||h||^2 = 3 -> sqrt(1/8 * 4) = sqrt(1/2)
    t.update({
      ids: [1, 0],
      logits: Float32Array.from([0, Math.log(3), 0, Math.log(3)]),
      labels: [1, 0],
      numClasses: 2,
      featureSqNorms: [3, 0],
    });
    expect(t.values()[1]).toBeCloseTo(Math.sqrt(0.5), 6);
    expect(t.values()[0]).toBeCloseTo(Math.sqrt(9 / 8), 6); // ||h|| = 0: only the bias gradient
  });
});
