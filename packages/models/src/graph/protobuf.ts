/**
 * A minimal Protocol Buffers writer (proto3 wire format: varints, length-delimited fields, fixed32 floats), enough
 * to encode the few TensorFlow messages graph-def.ts needs. Nested messages are written bottom-up: encode the
 * child to bytes, then write it as a length-delimited field of the parent.
 */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(256, n));
    this.pos = 0;
  }

  /** An unsigned varint; negative numbers are written as 64-bit two's complement (10 bytes), as protobuf does. */
  varint(value: number): this {
    if (!Number.isInteger(value)) throw new RangeError(`varint: ${value} is not an integer`);
    this.reserve(10);
    if (value < 0) {
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) {
        this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.pos++] = Number(v);
      return this;
    }
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  private tag(field: number, wireType: 0 | 2 | 5): this {
    return this.varint(field * 8 + wireType);
  }

  /** An int32/int64/enum/bool field (skipped when 0 or false, the proto3 default). */
  int(field: number, value: number | boolean): this {
    const v = typeof value === 'boolean' ? Number(value) : value;
    return v === 0 ? this : this.tag(field, 0).varint(v);
  }

  /** A bool field written even when false (for values that must be explicit, e.g. inside a oneof). */
  boolAlways(field: number, value: boolean): this {
    return this.tag(field, 0).varint(value ? 1 : 0);
  }

  /** An int field written even when 0 (for values inside a oneof). */
  intAlways(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  /** A float field (fixed32), written even when 0. */
  float(field: number, value: number): this {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).setFloat32(0, value, true);
    this.pos += 4;
    return this;
  }

  /** A bytes / nested-message field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(value.length);
    this.chunks.push(this.buf.subarray(0, this.pos), value);
    this.buf = new Uint8Array(256);
    this.pos = 0;
    return this;
  }

  /** A string field (UTF-8), skipped when empty unless `always`. */
  string(field: number, value: string, always = false): this {
    return value === '' && !always ? this : this.bytes(field, new TextEncoder().encode(value));
  }

  /** A packed repeated varint field. */
  packed(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const parts = [...this.chunks, this.buf.subarray(0, this.pos)];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
