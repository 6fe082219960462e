import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, parseIdx } from './index.js';

function idx(dims: number[], payload: number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head.set([0, 0, 8, dims.length]);
  const v = new DataView(head.buffer);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...head, ...payload]);
}

describe('parseIdx', () => {
  it('parses plain and gzipped unsigned-byte IDX', () => {
    const raw = idx([2, 2], [1, 2, 3, 4]);
    for (const bytes of [raw, gzipSync(raw)]) {
      const out = parseIdx(bytes);
      expect(out.dims).toEqual([2, 2]);
      expect([...out.data]).toEqual([1, 2, 3, 4]);
    }
  });

  it('rejects a wrong magic number with a clear DataError', () => {
    const bad = idx([2], [1, 2]);
    bad[2] = 0x0d; // float32 type code
    expect(() => parseIdx(bad, 'x.idx')).toThrow(DataError);
    expect(() => parseIdx(bad, 'x.idx')).toThrow(/x.idx: wrong IDX magic number 0x00000d01/);
  });

  it('rejects truncated files, plain and gzipped', () => {
    const raw = idx([3, 2], [1, 2, 3, 4, 5, 6]);
    const cut = raw.subarray(0, raw.length - 2);
    expect(() => parseIdx(cut, 'a')).toThrow(/payload is 4 bytes but the header's dims 3x2 need 6 \(truncated file\)/);
    expect(() => parseIdx(gzipSync(cut), 'a')).toThrow(/truncated/);
    const gz = gzipSync(raw);
    expect(() => parseIdx(gz.subarray(0, gz.length - 10), 'b')).toThrow(/b: corrupt gzip data/);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'c')).toThrow(/too short/);
  });
});
