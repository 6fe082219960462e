/**
 * Test-only: a protocol-buffers wire decoder, written independently of the encoder, that reads a message into
 * { field number -> values[] } (varints as numbers, length-delimited fields as bytes).
 */
export type Fields = Map<number, Array<number | Uint8Array>>;

export function readVarint(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= bytes.length) throw new Error('truncated varint');
    const b = bytes[pos++]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, pos];
  }
}

export function decode(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < bytes.length) {
    const [key, p] = readVarint(bytes, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === 0) {
      [value, pos] = readVarint(bytes, p);
    } else if (wire === 2) {
      const [len, q] = readVarint(bytes, p);
      if (q + len > bytes.length) throw new Error('truncated length-delimited field');
      value = bytes.subarray(q, q + len);
      pos = q + len;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

export const text = (v: number | Uint8Array | undefined): string => new TextDecoder().decode(v as Uint8Array);
export const message = (v: number | Uint8Array | undefined): Fields => decode(v as Uint8Array);
