import type { Cifar100Dataset, ImageDataset } from '@dp/data';
import { describe, expect, it } from 'vitest';
import { subset } from './data.js';

function dataset(labels: number[]): ImageDataset {
  const n = labels.length;
  // One 1x1x1 pixel per sample holding its index, so a subset shows which samples it took.
  return {
    size: n,
    shape: [1, 1, 1],
    numClasses: 3,
    images: Uint8Array.from(labels.map((_, i) => i)),
    labels: Uint8Array.from(labels),
  } as unknown as ImageDataset;
}

describe('subset (--train-subset / --test-subset)', () => {
  it('takes classes round-robin, so a class-major image folder gives a balanced subset', () => {
    const d = dataset([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    const s = subset(d, 7);
    expect([...s.labels]).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect([...s.images]).toEqual([0, 4, 8, 1, 5, 9, 2]);
    expect(s.size).toBe(7);
    // An exhausted class is skipped.
    expect([...subset(d, 9).images]).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 3]);
  });

  it('keeps each class in its loader order on a mixed split, and returns the split itself for 0 or n >= size', () => {
    const d = dataset([2, 0, 1, 0, 2, 1]);
    expect([...subset(d, 4).images]).toEqual([1, 2, 0, 3]);
    expect(subset(d, 0)).toBe(d);
    expect(subset(d, 6)).toBe(d);
    // More than the split holds is refused, not silently the whole split (the run config would record n).
    expect(() => subset(d, 7)).toThrow(
      /a subset of 7 samples is larger than .* \(6 samples\); fix: use at most 6, or 0 for the whole split/,
    );
  });

  it('subsets CIFAR-100 fineLabels and coarseLabels with the samples, so they stay aligned with labels and images', () => {
    const fine = [5, 7, 5, 9, 7, 9];
    const coarse = [1, 2, 1, 3, 2, 3];
    const d = {
      ...dataset([0, 1, 0, 2, 1, 2]),
      fineLabels: Uint8Array.from(fine),
      coarseLabels: Uint8Array.from(coarse),
    } as unknown as Cifar100Dataset;
    const s = subset(d, 4) as Cifar100Dataset;
    const ids = [...s.images]; // the pixel is the sample index
    expect(ids).toEqual([0, 1, 3, 2]);
    expect([...s.fineLabels]).toEqual(ids.map((i) => fine[i]));
    expect([...s.coarseLabels]).toEqual(ids.map((i) => coarse[i]));
    expect(s.fineLabels).toHaveLength(s.size);
    // The split itself is left as it was.
    expect([...d.fineLabels]).toEqual(fine);
  });
});
