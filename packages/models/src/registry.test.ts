import { describe, expect, it } from 'vitest';
import { ModelError, modelEntries, modelNames, registerModel, unregisterModel } from './index.js';

describe('the model registry (the rule every dp registry shares)', () => {
  it('re-registering the same entry is a no-op; a different one under a taken name is a ModelError with a fix', () => {
    const cnn = modelEntries().find((e) => e.name === 'cnn-small')!;
    registerModel(cnn);
    expect(modelNames().filter((n) => n === 'cnn-small')).toHaveLength(1);
    expect(() => registerModel({ ...cnn })).toThrow(ModelError);
    expect(() => registerModel({ ...cnn })).toThrow(
      /^model\.name = "cnn-small" is invalid: .*; fix: .*unregisterModel\("cnn-small"\) first/,
    );
    expect(modelEntries().find((e) => e.name === 'cnn-small')).toBe(cnn);
  });

  it('unregisterModel frees the name, so a replacement can be registered on purpose', () => {
    const cnn = modelEntries().find((e) => e.name === 'cnn-small')!;
    try {
      expect(unregisterModel('cnn-small')).toBe(true);
      const replacement = { ...cnn, summary: 'a replacement' };
      registerModel(replacement);
      expect(modelEntries().find((e) => e.name === 'cnn-small')).toBe(replacement);
    } finally {
      unregisterModel('cnn-small');
      registerModel(cnn);
    }
  });
});
