import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ProtoWriter: the protobuf wire format', () => {
  it("writes varints as in the protobuf encoding guide (150 -> 96 01) and negatives as 10-byte two's complement", () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().varint(300).finish())).toBe('ac02');
    expect(hex(new ProtoWriter().varint(-1).finish())).toBe('ffffffffffffffffff01');
    expect(hex(new ProtoWriter().varint(2 ** 40).finish())).toBe('808080808020');
  });

  it('writes strings, nested messages, floats and packed fields with their tags', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    const inner = new ProtoWriter().int(1, 150).finish();
    expect(hex(new ProtoWriter().bytes(3, inner).finish())).toBe('1a03089601');
    expect(hex(new ProtoWriter().float(4, 1).finish())).toBe('250000803f');
    expect(hex(new ProtoWriter().packed(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  });

  it('skips proto3 defaults unless asked to write them', () => {
    expect(new ProtoWriter().int(1, 0).string(2, '').finish().length).toBe(0);
    expect(hex(new ProtoWriter().intAlways(1, 0).boolAlways(2, false).finish())).toBe('08001000');
  });

  it('concatenates large payloads in order', () => {
    const big = new Uint8Array(10_000).map((_, i) => i & 0xff);
    const out = new ProtoWriter().int(1, 7).bytes(2, big).int(3, 9).finish();
    expect(out.length).toBe(2 + 3 + 10_000 + 2);
    expect(Array.from(out.subarray(5, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(out.subarray(-2))).toEqual([0x18, 9]);
  });

  it('rejects a non-integer varint', () => {
    expect(() => new ProtoWriter().varint(1.5)).toThrow(/not an integer/);
  });
});
