import { describe, expect, it } from 'vitest';
import { DEFAULTS, fingerprint, validateRunConfig } from './config.js';

describe('run config', () => {
  it('leaves the inference path out of the fingerprint (it changes no trained number), but not the batch-norm kernels', () => {
    const base = validateRunConfig({});
    expect(fingerprint(validateRunConfig({ inference: 'reference' }))).toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ batchNorm: 'reference' }))).not.toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ epochs: 4 }))).not.toBe(fingerprint(base));
    expect(DEFAULTS.inference).toBe('auto');
  });

  it('names an invalid inference kind and the allowed ones', () => {
    expect(() => validateRunConfig({ inference: 'graph' })).toThrow('unknown inference "graph"; fix: use one of auto, compiled, reference');
  });
});
