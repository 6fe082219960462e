import { PrunerError } from './errors.js';
import { mix32 } from './rng.js';

/**
 * Typed arrays <-> base64 strings for JSON state (btoa/atob: Node >= 16 and browsers, no node: imports).
 * Byte order is the platform's (little-endian on every JavaScript engine in practice).
 */
export function encodeTyped(a: Uint32Array | Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x8000)
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]));
  return btoa(parts.join(''));
}

/** Decode a string written by encodeTyped into `length` 4-byte elements; throws a PrunerError naming `field`. */
export function decodeFloat32(field: string, s: unknown, length: number): Float32Array {
  return new Float32Array(decodeBytes(field, s, length));
}

export function decodeUint32(field: string, s: unknown, length: number): Uint32Array {
  return new Uint32Array(decodeBytes(field, s, length));
}

/** decodeUint32, then check the ids are distinct integers < n (a subset of [0, n)); throws naming field[i]. */
export function decodeDistinctIds(field: string, s: unknown, length: number, n: number): Uint32Array {
  const ids = decodeUint32(field, s, length);
  const seen = new Uint8Array(n);
  for (let i = 0; i < length; i++) {
    const id = ids[i]!;
    if (id >= n || seen[id]) throw new PrunerError(`${field}[${i}]`, id, `distinct integers in [0, ${n - 1}]`);
    seen[id] = 1;
  }
  return ids;
}

function decodeBytes(field: string, s: unknown, length: number): ArrayBuffer {
  const allowed = `a base64 string of ${length} 4-byte values (written by Pruner.state())`;
  if (typeof s !== 'string') throw new PrunerError(field, s, allowed);
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    throw new PrunerError(field, `${s.slice(0, 20)}...`, allowed);
  }
  if (bin.length !== length * 4) throw new PrunerError(`${field}.length`, bin.length / 4, allowed);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/**
 * A 64-bit content hash of a Float32Array's bits (two independent 32-bit multiply-xor lanes finalised with
 * murmur3's fmix32), as "f32:<length>:<16 hex digits>". Identifies a score array in a fingerprint without
 * serialising it; not cryptographic.
 */
export function hashFloat32(a: Float32Array): string {
  const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h1 = 0x9747b28c ^ a.length;
  let h2 = 0x5bd1e995 ^ Math.imul(a.length, 0x27d4eb2d);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    h1 = Math.imul(h1 ^ w, 0xcc9e2d51);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul(h2 ^ w, 0x1b873593) + 0xe6546b64;
    h2 = (h2 << 13) | (h2 >>> 19);
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `f32:${a.length}:${hex(mix32(h1 ^ h2))}${hex(mix32(h2 + mix32(h1)))}`;
}
