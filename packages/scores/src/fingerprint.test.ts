import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from './fingerprint.js';

describe('datasetFingerprint', () => {
  const labels = Uint8Array.from([3, 1, 4, 1, 5]);
  it('is a stable sha256 of name, size and labels, whatever the label array type', () => {
    const f = datasetFingerprint(labels, 5, 'fashion-mnist/train');
    expect(f).toMatch(/^[0-9a-f]{64}$/);
    expect(datasetFingerprint(Int32Array.from(labels), 5, 'fashion-mnist/train')).toBe(f);
    expect(datasetFingerprint(Array.from(labels), 5, 'fashion-mnist/train')).toBe(f);
  });

  it('changes with the name, the labels or their order', () => {
    const f = datasetFingerprint(labels, 5, 'a');
    expect(datasetFingerprint(labels, 5, 'b')).not.toBe(f);
    expect(datasetFingerprint(Uint8Array.from([1, 3, 4, 1, 5]), 5, 'a')).not.toBe(f);
    expect(datasetFingerprint(Uint8Array.from([3, 1, 4, 1, 6]), 5, 'a')).not.toBe(f);
  });

  it('refuses inconsistent input', () => {
    expect(() => datasetFingerprint(labels, 6, 'a')).toThrow(/labels has length 5 but size is 6; fix: /);
    expect(() => datasetFingerprint([1, -1], 2, 'a')).toThrow(/labels\[1\] = -1 is invalid/);
    expect(() => datasetFingerprint(labels, 5, '')).toThrow(/name = "" is invalid/);
  });
});
