import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cifar100Dataset, ImageDataset } from './index.js';
import { DataError, isShared, splitValidation, takeSamples, validationRange, validationSplit } from './index.js';

/** Labels with `counts[c]` samples of class c, interleaved in a seeded order. */
function labelsOf(counts: number[], order: number): Uint8Array {
  const out: number[] = [];
  counts.forEach((k, c) => {
    for (let i = 0; i < k; i++) out.push(c);
  });
  // A fixed permutation (multiplicative step co-prime with the length) so classes are mixed, not class-major.
  const n = out.length;
  let step = (order % Math.max(n, 1)) * 2 + 1;
  while (n > 1 && gcd(step, n) !== 1) step += 2;
  return Uint8Array.from({ length: n }, (_, i) => out[(i * step) % n]!);
}

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

function perClass(labels: ArrayLike<number>, ids: ArrayLike<number>, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (let j = 0; j < ids.length; j++) out[labels[ids[j]!]!]!++;
  return out;
}

/** Class counts (2..60 each, some classes absent) with a feasible n and a seed. */
const splitCase = fc
  .record({
    counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 2, max: 60 })), { minLength: 1, maxLength: 12 }),
    order: fc.nat(1000),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  })
  .filter(({ counts }) => counts.some((k) => k > 0))
  .map(({ counts, order, pick, seed }) => {
    const labels = labelsOf(counts, order);
    const { min, max } = validationRange(labels, counts.length);
    return { counts, labels, n: min + Math.floor(pick * (max - min + 1)) - (pick === 1 ? 1 : 0), seed };
  });

describe('splitValidation', () => {
  it('is disjoint, covers every sample, and gives each class its share: >= 1 validation and >= 1 training sample (property)', () => {
    fc.assert(
      fc.property(splitCase, ({ counts, labels, n, seed }) => {
        const s = splitValidation(labels, counts.length, n, seed);
        expect(s.validation).toHaveLength(n);
        expect(s.train).toHaveLength(labels.length - n);
        const all = [...s.validation, ...s.train].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: labels.length }, (_, i) => i)); // disjoint and covering
        for (const part of [s.validation, s.train])
          for (let i = 1; i < part.length; i++) expect(part[i]!).toBeGreaterThan(part[i - 1]!);
        const v = perClass(labels, s.validation, counts.length);
        expect(v).toEqual([...s.perClass]);
        counts.forEach((k, c) => {
          if (k === 0) return expect(v[c]).toBe(0);
          expect(v[c]).toBeGreaterThanOrEqual(1);
          expect(v[c]).toBeLessThanOrEqual(k - 1);
        });
        // Proportional to class frequency (largest remainders) wherever the one-per-side floor does not bind.
        const share = counts.map((k) => (n * k) / labels.length);
        if (counts.every((k, c) => k === 0 || (share[c]! >= 1 && share[c]! <= k - 1))) {
          counts.forEach((k, c) => {
            if (k) expect(Math.abs(v[c]! - share[c]!)).toBeLessThan(1);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is class-balanced on a balanced set: per-class counts differ by at most one, and the extra ones go to seeded classes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        (classes, each, pick, seed) => {
          const labels = labelsOf(new Array<number>(classes).fill(each), seed % 97);
          const n =
            classes + Math.min(Math.floor(pick * (labels.length - 2 * classes + 1)), labels.length - 2 * classes);
          const v = [...splitValidation(labels, classes, n, seed).perClass];
          expect(Math.max(...v) - Math.min(...v)).toBeLessThanOrEqual(1);
          expect(v.reduce((a, b) => a + b, 0)).toBe(n);
        },
      ),
      { numRuns: 200 },
    );
    // 25 over 10 equal classes: 2 or 3 each, and which classes get 3 depends on the seed, not on class order.
    const labels = labelsOf(new Array<number>(10).fill(30), 3);
    const threes = new Set<string>();
    for (let seed = 0; seed < 20; seed++)
      threes.add(JSON.stringify([...splitValidation(labels, 10, 25, seed).perClass].map((k) => k === 3)));
    expect(threes.size).toBeGreaterThan(10);
  });

  it('keeps class proportions on an unbalanced set (stratified, not equal per class)', () => {
    // 600 / 300 / 100 samples, 100 held out: 60 / 30 / 10.
    const labels = labelsOf([600, 300, 100], 7);
    expect([...splitValidation(labels, 3, 100, 0).perClass]).toEqual([60, 30, 10]);
    // A rare class still gets one validation sample, taken from the class furthest above its share.
    expect([...splitValidation(labelsOf([990, 10], 1), 2, 20, 0).perClass]).toEqual([19, 1]);
    // ... and keeps one training sample (its share, 9.9 of 999, would round to all 10).
    expect([...splitValidation(labelsOf([10, 1000], 1), 2, 999, 0).perClass]).toEqual([9, 990]);
  });

  it('is deterministic and differs by seed (property)', () => {
    fc.assert(
      fc.property(splitCase, fc.integer({ min: 1, max: 1000 }), ({ counts, labels, n, seed }, delta) => {
        const a = splitValidation(labels, counts.length, n, seed);
        const b = splitValidation(Uint8Array.from(labels), counts.length, n, seed);
        expect([...a.validation]).toEqual([...b.validation]);
        expect([...a.train]).toEqual([...b.train]);
        // Another seed gives another split whenever there are many to choose from (>= 10^6 here).
        if (counts.filter((k) => k >= 20).length >= 2 && n >= 10 && labels.length - n >= 10) {
          expect([...splitValidation(labels, counts.length, n, seed + delta).validation]).not.toEqual([
            ...a.validation,
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('draws each sample of a class with equal probability across seeds', () => {
    const labels = labelsOf([20, 40], 5);
    const hits = new Array<number>(labels.length).fill(0);
    const seeds = 2000;
    for (let seed = 0; seed < seeds; seed++)
      for (const i of splitValidation(labels, 2, 15, seed).validation) hits[i]!++;
    // 5 of 20 and 10 of 40: every sample is held out a quarter of the time.
    for (const h of hits) expect(Math.abs(h / seeds - 0.25)).toBeLessThan(0.06);
  });

  it('returns no validation sample for n = 0, even on a set no other n could split', () => {
    const s = splitValidation(Uint8Array.from([0, 1, 1]), 2, 0, 3);
    expect([...s.validation]).toEqual([]);
    expect([...s.train]).toEqual([0, 1, 2]);
  });

  it.each([
    [
      -1,
      /^valSplit = -1 is invalid: expected an integer >= 0 \(.*\): fashion-mnist\/train has 60000 samples in 10 classes, so it allows 10 to 59990 \(each class keeps at least one training and one validation sample\); fix: use valSplit from 10 to 59990, or 0 for no validation split$/,
    ],
    [1.5, /^valSplit = 1.5 is invalid: expected an integer >= 0/],
    [Number.NaN, /^valSplit = NaN is invalid/],
    [
      60000,
      /^valSplit = 60000 is not smaller than the set it is carved from \(nothing would be left to train on\): fashion-mnist\/train has 60000 samples in 10 classes, so it allows 10 to 59990 .*; fix: use valSplit from 10 to 59990/,
    ],
    [70000, /^valSplit = 70000 is not smaller than/],
    [59991, /^valSplit = 59991 leaves a class with no training sample: .* so it allows 10 to 59990 /],
    [
      9,
      /^valSplit = 9 leaves a class with no validation sample: fashion-mnist\/train has 60000 samples in 10 classes, so it allows 10 to 59990/,
    ],
  ])('refuses n = %s with one line naming the field, value, allowed range and fix', (n, pattern) => {
    const labels = Uint8Array.from({ length: 60000 }, (_, i) => i % 10);
    let error: unknown;
    try {
      splitValidation(labels, 10, n, 0, { field: 'valSplit', what: 'fashion-mnist/train' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names a class that has a single sample (no split but 0 is possible) and flag-style fields', () => {
    expect(() =>
      splitValidation(Uint8Array.from([0, 0, 1, 2, 2]), 3, 2, 0, { field: '--val-split', classNames: ['a', 'b', 'c'] }),
    ).toThrow(
      /^--val-split 2 is impossible: class 1 \("b"\) has a single sample, .*, so it allows only 0 .*; fix: use a training set with at least two samples of every class \(e\.g\. a larger subset\), or --val-split 0/,
    );
    expect(validationRange(Uint8Array.from([0, 0, 1, 2, 2]), 4)).toEqual({ min: 3, max: 2, classes: 3, single: 1 });
    expect(() => splitValidation(Uint8Array.from([0, 3]), 2, 1, 0)).toThrow(/label 3 of sample 1 is outside \[0, 2\)/);
  });
});

function dataset(labels: number[], numClasses = 3): ImageDataset {
  // Two bytes per sample (1x2x1): the sample index and 255 - index, so a split shows which samples it holds.
  const images = Uint8Array.from(labels.flatMap((_, i) => [i, 255 - i]));
  return {
    name: 'toy',
    split: 'train',
    size: labels.length,
    shape: [1, 2, 1],
    images,
    labels: Uint8Array.from(labels),
    numClasses,
    classNames: ['a', 'b', 'c'],
    mean: [0.5],
    std: [0.25],
  };
}

describe('validationSplit / takeSamples', () => {
  it('builds the two datasets from the indices: uint8 pixels in shared memory, labels, stats and class names kept', () => {
    const d = dataset([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const { train, validation, indices } = validationSplit(d, 3, 5, { field: '--val-split' });
    expect(validation.size).toBe(3);
    expect(train.size).toBe(9);
    expect(validation.split).toBe('validation');
    expect(train.split).toBe('train');
    expect([...validation.labels].sort()).toEqual([0, 1, 2]);
    for (const [part, ids] of [
      [train, indices.train],
      [validation, indices.validation],
    ] as const) {
      expect(part.images).toBeInstanceOf(Uint8Array);
      expect(isShared(part.images)).toBe(true);
      expect([...part.images]).toEqual([...ids].flatMap((i) => [i, 255 - i]));
      expect([...part.labels]).toEqual([...ids].map((i) => d.labels[i]));
      expect(part.mean).toBe(d.mean);
      expect(part.classNames).toBe(d.classNames);
    }
    // n = 0: the set itself, and an empty validation set.
    const none = validationSplit(d, 0, 5);
    expect(none.train).toBe(d);
    expect(none.validation.size).toBe(0);
    expect(() => validationSplit(d, 12, 5)).toThrow(
      /^validation size = 12 is not smaller than the set .*: toy\/train has 12 samples in 3 classes, so it allows 3 to 9 /,
    );
    expect(() => validationSplit(d, 10, 5, { field: '--val-split' })).toThrow(
      /^--val-split 10 leaves a class with no training sample: .*; fix: use --val-split from 3 to 9, or 0 for no validation split$/,
    );
  });

  it("carries CIFAR-100's fine and coarse labels with the samples, in Uint16 label arrays too", () => {
    const fine = [5, 7, 5, 9, 7, 9, 5, 7];
    const coarse = [1, 2, 1, 3, 2, 3, 1, 2];
    const base = dataset([0, 1, 0, 2, 1, 2, 0, 1]);
    const d = {
      ...base,
      labels: Uint16Array.from(base.labels),
      fineLabels: Uint8Array.from(fine),
      coarseLabels: Uint8Array.from(coarse),
    } as unknown as Cifar100Dataset;
    const { train, validation, indices } = validationSplit(d, 3, 1);
    expect(train.labels).toBeInstanceOf(Uint16Array);
    expect([...validation.fineLabels]).toEqual([...indices.validation].map((i) => fine[i]));
    expect([...train.coarseLabels]).toEqual([...indices.train].map((i) => coarse[i]));
    expect(() => takeSamples(d, [8])).toThrow(/sample id 8 is outside toy\/train \(8 samples\); fix: /);
  });
});
