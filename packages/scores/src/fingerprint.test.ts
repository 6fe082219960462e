import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { datasetFingerprint, pixelFingerprint } from './fingerprint.js';

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

describe('pixelFingerprint', () => {
  // Two "image folders" with the same per-class counts: same name, size and labels, other pixels.
  const labels = Uint8Array.from([0, 0, 1, 1]);
  const a = Uint8Array.from({ length: 4 * 12 }, (_, i) => (i * 37) & 0xff);
  const b = a.slice();
  b[29]! ^= 1;

  it('tells apart datasets the label fingerprint cannot: one changed pixel bit, or another sample order', () => {
    expect(datasetFingerprint(labels, 4, 'imagefolder')).toBe(datasetFingerprint(labels, 4, 'imagefolder'));
    expect(pixelFingerprint(a, 4)).not.toBe(pixelFingerprint(b, 4));
    const swapped = Uint8Array.from([...a.subarray(12, 24), ...a.subarray(0, 12), ...a.subarray(24)]);
    expect(pixelFingerprint(swapped, 4)).not.toBe(pixelFingerprint(a, 4));
  });

  it('is the sha256 of the pixel bytes (views included), so anyone can recompute it', () => {
    expect(pixelFingerprint(a, 4)).toBe(createHash('sha256').update(a).digest('hex'));
    const view = new Uint8Array(Uint8Array.from([9, ...a, 9]).buffer, 1, a.length);
    expect(pixelFingerprint(view, 4)).toBe(pixelFingerprint(a, 4));
  });

  it('refuses pixels that do not fit the size', () => {
    expect(() => pixelFingerprint(a, 5)).toThrow(/images has 48 bytes, not a positive multiple of size 5; fix: /);
    expect(() => pixelFingerprint(new Uint8Array(0), 1)).toThrow(/images has 0 bytes/);
    expect(() => pixelFingerprint(Array.from(a) as unknown as Uint8Array, 4)).toThrow(
      /images = Array\(48\) is invalid: expected the pixels as a Uint8Array/,
    );
    expect(() => pixelFingerprint(a, 0)).toThrow(/size = 0 is invalid/);
  });
});
