import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesField, stringField, varint, varintField } from './protobuf-wire.js';
import { decode, readVarint, text } from './wire-decoder.test-util.js';

describe('protobuf wire format', () => {
  it('varints: the examples of the protobuf encoding guide', () => {
    expect(varint(0)).toEqual([0]);
    expect(varint(1)).toEqual([1]);
    expect(varint(150)).toEqual([0x96, 0x01]);
    expect(varint(300)).toEqual([0xac, 0x02]);
    expect(() => varint(-1)).toThrow(RangeError);
    expect(() => varint(1.5)).toThrow(RangeError);
  });

  it('varints decode to the number, in ceil(bits / 7) bytes', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const bytes = Uint8Array.from(varint(n));
        expect(readVarint(bytes, 0)).toEqual([n, bytes.length]);
        expect(bytes.length).toBe(Math.max(1, Math.ceil(n.toString(2).length / 7)));
      }),
    );
  });

  it('fields decode to their numbers and values, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 536_870_910 }),
        fc.maxSafeNat(),
        fc.string(),
        fc.uint8Array({ maxLength: 300 }),
        (field, n, s, b) => {
          const fields = decode(
            Uint8Array.from([...varintField(field, n), ...stringField(field + 1, s), ...bytesField(field, b)]),
          );
          expect(fields.get(field)![0]).toBe(n);
          expect(Array.from(fields.get(field)![1] as Uint8Array)).toEqual(Array.from(b));
          expect(text(fields.get(field + 1)![0])).toBe(s);
        },
      ),
    );
  });
});
