import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { checkOptions, defaultStem } from './options.js';
import type { ModelOptions } from './types.js';

const base: ModelOptions = { inputShape: [32, 32, 3], numClasses: 10 };

describe('model options', () => {
  it('accepts the defaults and every documented value', () => {
    expect(() => checkOptions(base)).not.toThrow();
    expect(() =>
      checkOptions({ ...base, seed: 7, stem: 'imagenet', width: 0.5, zeroInitResidual: true, batchNorm: 'fused' }),
    ).not.toThrow();
  });

  it('names field, value and allowed range in each error', () => {
    const cases: [Partial<ModelOptions>, RegExp][] = [
      [{ numClasses: 1 }, /numClasses = 1 is invalid: expected an integer >= 2/],
      [{ numClasses: 2.5 }, /numClasses = 2.5/],
      [{ inputShape: [32, 0, 3] }, /inputShape = \[32, 0, 3\] is invalid: expected three positive integers/],
      [{ inputShape: [32, 32] as unknown as ModelOptions['inputShape'] }, /inputShape = \[32, 32\]/],
      [{ seed: -1 }, /seed = -1 is invalid: expected an integer in \[0, 4294967295\]/],
      [{ seed: 2 ** 32 + 1 }, /seed = 4294967297 is invalid/], // would wrap onto seed 1
      [{ stem: 'tiny' as 'cifar' }, /stem = 'tiny' is invalid: expected one of cifar, imagenet/],
      [{ width: 0 }, /width = 0 is invalid: expected a number in \(0, 16\]/],
      [{ width: Number.NaN }, /width = NaN/],
      [{ zeroInitResidual: 1 as unknown as boolean }, /zeroInitResidual = 1 is invalid: expected true or false/],
      [{ batchNorm: 'cudnn' as 'fused' }, /batchNorm = 'cudnn' is invalid: expected one of reference, fused/],
    ];
    for (const [patch, msg] of cases) {
      expect(() => checkOptions({ ...base, ...patch })).toThrow(ModelError);
      expect(() => checkOptions({ ...base, ...patch })).toThrow(msg);
    }
  });

  it('picks the CIFAR stem for inputs up to 64 px and the ImageNet stem above, unless told', () => {
    expect(defaultStem(base)).toBe('cifar');
    expect(defaultStem({ ...base, inputShape: [64, 64, 3] })).toBe('cifar');
    expect(defaultStem({ ...base, inputShape: [65, 64, 3] })).toBe('imagenet');
    expect(defaultStem({ ...base, inputShape: [224, 224, 3] })).toBe('imagenet');
    expect(defaultStem({ ...base, inputShape: [224, 224, 3], stem: 'cifar' })).toBe('cifar');
  });
});
