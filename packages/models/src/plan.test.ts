import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { cifarResNetPlan, featureSizes, paramCounts, resNetPlan, scaleChannels, totalStride } from './plan.js';

describe('ResNet plans (pure arithmetic)', () => {
  it('gives the CIFAR ResNet parameter counts of He et al. 2016, Table 6 (option A, 10 classes)', () => {
    // Exact counts (conv kernels + BN gamma/beta + fc); resnet20 = 269,722 is the well-known option-A count.
    const exact = { 20: 269_722, 32: 464_154, 44: 658_586, 56: 853_018, 110: 1_727_962 };
    const table6 = { 20: '0.27', 32: '0.46', 44: '0.66', 56: '0.85', 110: '1.7' };
    for (const [depth, n] of Object.entries(exact)) {
      const counts = paramCounts(cifarResNetPlan(Number(depth)), 3, 10);
      expect(counts.trainable).toBe(n);
      const m = counts.trainable / 1e6;
      expect(m.toFixed(depth === '110' ? 1 : 2)).toBe(table6[depth as unknown as keyof typeof table6]);
    }
  });

  it("gives torchvision's ResNet-18/34/50 counts (gamma/beta trainable, moving statistics not)", () => {
    expect(paramCounts(resNetPlan(18, 'cifar'), 3, 10).trainable).toBe(11_173_962);
    expect(paramCounts(resNetPlan(18, 'imagenet'), 3, 1000).trainable).toBe(11_689_512);
    expect(paramCounts(resNetPlan(34, 'imagenet'), 3, 1000).trainable).toBe(21_797_672);
    expect(paramCounts(resNetPlan(50, 'imagenet'), 3, 1000).trainable).toBe(25_557_032);
    expect(paramCounts(resNetPlan(50, 'imagenet'), 3, 1000).nonTrainable).toBe(53_120);
    // CIFAR-stem variants (as the README lists them): the 7x7x3x64 stem kernel becomes 3x3x3x64, the head 10 classes.
    expect(paramCounts(resNetPlan(34, 'cifar'), 3, 10).trainable).toBe(21_282_122);
    expect(paramCounts(resNetPlan(50, 'cifar'), 3, 10).trainable).toBe(23_520_842);
  });

  it('rejects depths that are not 6n + 2', () => {
    for (const d of [0, 2, 19, 21, 7.5, Number.NaN]) expect(() => cifarResNetPlan(d)).toThrow(ModelError);
    expect(() => cifarResNetPlan(19)).toThrow(/depth = 19 is invalid: CIFAR ResNets have depth 6n \+ 2/);
  });

  it('downsamples by 4 (CIFAR ResNets), 8 (ResNet, CIFAR stem) and 32 (ImageNet stem)', () => {
    expect(totalStride(cifarResNetPlan(20))).toBe(4);
    expect(totalStride(resNetPlan(18, 'cifar'))).toBe(8);
    expect(totalStride(resNetPlan(50, 'imagenet'))).toBe(32);
    expect(featureSizes(resNetPlan(18, 'imagenet'), 224)).toEqual([56, 56, 28, 14, 7]);
    expect(featureSizes(cifarResNetPlan(56), 32)).toEqual([32, 32, 16, 8]);
  });

  it('property: feature sizes are ceil(size / stride so far) and never below 1 from the minimum input up', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(cifarResNetPlan(20), resNetPlan(18, 'cifar'), resNetPlan(50, 'imagenet')),
        fc.integer({ min: 1, max: 600 }),
        (plan, k) => {
          const size = totalStride(plan) + k - 1;
          const sizes = featureSizes(plan, size);
          expect(sizes[sizes.length - 1]).toBe(Math.ceil(size / totalStride(plan)));
          for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
          expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });

  it('property: the width multiplier scales every channel count and parameters grow with width', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(cifarResNetPlan(20, lo).stages.map((s) => s.planes)).toEqual(
            [16, 32, 64].map((c) => scaleChannels(c, lo)),
          );
          expect(paramCounts(resNetPlan(18, 'cifar', lo), 3, 10).trainable).toBeLessThanOrEqual(
            paramCounts(resNetPlan(18, 'cifar', hi), 3, 10).trainable,
          );
        },
      ),
    );
  });

  it('property: the classifier adds (features + 1) parameters per class', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1000 }), fc.constantFrom<18 | 34 | 50>(18, 34, 50), (k, depth) => {
        const plan = resNetPlan(depth, 'imagenet');
        const feat = depth === 50 ? 2048 : 512;
        expect(paramCounts(plan, 3, k + 1).trainable - paramCounts(plan, 3, k).trainable).toBe(feat + 1);
      }),
    );
  });
});
