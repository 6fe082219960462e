import { describe, expect, it } from 'vitest';
import { el2n } from './el2n.js';

describe('el2n', () => {
  it('is ||softmax(z) - onehot(y)||_2 (hand-checked)', () => {
    const t = el2n.create(3);
    // p = [1/4, 3/4]; label 1: ||(1/4, -1/4)|| = sqrt(1/8); label 0: ||(-3/4, 3/4)|| = sqrt(9/8)
    // 3 classes, equal logits: p = 1/3 each, label 2: sqrt(1/9 + 1/9 + 4/9) = sqrt(2/3)
    t.update({
      ids: [0, 1],
      logits: Float32Array.from([0, Math.log(3), 0, Math.log(3)]),
      labels: [1, 0],
      numClasses: 2,
    });
    t.update({ ids: [2], logits: Float32Array.from([5, 5, 5]), labels: [2], numClasses: 3 });
    const v = t.values();
    expect(v[0]).toBeCloseTo(Math.sqrt(1 / 8), 6);
    expect(v[1]).toBeCloseTo(Math.sqrt(9 / 8), 6);
    expect(v[2]).toBeCloseTo(Math.sqrt(2 / 3), 6);
  });

  it('stays finite and bounded by sqrt(2) for extreme logits', () => {
    const t = el2n.create(2);
    t.update({ ids: [0, 1], logits: Float32Array.from([1e15, -1e15, 1e15, -1e15]), labels: [1, 0], numClasses: 2 });
    expect(t.values()[0]).toBeCloseTo(Math.SQRT2, 6);
    expect(t.values()[1]).toBe(0);
  });

  it('keeps full relative precision for confident samples, so easy samples still rank', () => {
    // 10 classes, label logit 25 / 30 above nine zeros: EL2N² = 90 e^(-2z) / (1 + 9 e^(-z))² exactly.
    const t = el2n.create(2);
    t.update({
      ids: [0, 1],
      logits: Float32Array.from([25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      labels: [0, 0],
      numClasses: 10,
    });
    const exact = (z: number) => Math.sqrt(90 * Math.exp(-2 * z)) / (1 + 9 * Math.exp(-z));
    const v = t.values();
    for (const [i, z] of [
      [0, 25],
      [1, 30],
    ] as const)
      expect(Math.abs(v[i]! / exact(z) - 1)).toBeLessThan(1e-6);
    expect(v[0]!).toBeGreaterThan(v[1]!);
  });
});
