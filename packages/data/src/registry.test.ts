import { describe, expect, it } from 'vitest';
import { DataError, datasetNames, registerDataset, unregisterDataset, type DatasetEntry } from './index.js';

describe('the dataset registry (the rule every dp registry shares)', () => {
  const entry: DatasetEntry = {
    name: 'registry-test',
    summary: 'for the test',
    load: () => Promise.reject(new Error('not loaded in this test')),
  };

  it('re-registering the same entry is a no-op; a different one under a taken name is a DataError with a fix', () => {
    registerDataset(entry);
    registerDataset(entry);
    expect(datasetNames().filter((n) => n === 'registry-test')).toHaveLength(1);
    expect(() => registerDataset({ ...entry })).toThrow(DataError);
    expect(() => registerDataset({ ...entry, name: 'mnist' })).toThrow(
      /^dataset\.name = "mnist" is invalid: .*; fix: .*unregisterDataset\("mnist"\) first/,
    );
  });

  it('unregisterDataset frees the name', () => {
    expect(unregisterDataset('registry-test')).toBe(true);
    expect(datasetNames()).not.toContain('registry-test');
    registerDataset({ ...entry });
    expect(unregisterDataset('registry-test')).toBe(true);
  });
});
