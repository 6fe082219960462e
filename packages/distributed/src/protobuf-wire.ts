/**
 * The few pieces of the protocol-buffers wire format needed to write TensorFlow's ServerDef by hand (so the package
 * needs no protobuf library): varints and length-delimited fields. Pure; proto3 semantics (default values are
 * omitted by the callers).
 * https://protobuf.dev/programming-guides/encoding/
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** Unsigned LEB128 of a non-negative safe integer. */
export function varint(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A varint field (int32 / int64 / bool / enum with a non-negative value). */
export function varintField(field: number, value: number): number[] {
  return [...varint(field * 8 + WIRE_VARINT), ...varint(value)];
}

/** A length-delimited field: bytes, an embedded message, or a map entry. */
export function bytesField(field: number, bytes: ArrayLike<number>): number[] {
  return [...varint(field * 8 + WIRE_LEN), ...varint(bytes.length), ...Array.from(bytes)];
}

/** A string field, UTF-8 encoded. */
export function stringField(field: number, value: string): number[] {
  return bytesField(field, new TextEncoder().encode(value));
}
