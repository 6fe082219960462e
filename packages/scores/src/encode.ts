/** Typed arrays <-> base64 strings (little-endian bytes), for JSON state. Works in Node and browsers. */
export type TypedArray = Float32Array | Uint32Array | Uint8Array;
export type DType = 'float32' | 'uint32' | 'uint8';

export function dtypeOf(a: TypedArray): DType {
  return a instanceof Float32Array ? 'float32' : a instanceof Uint32Array ? 'uint32' : 'uint8';
}

export function encodeTyped(a: TypedArray): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Decode base64 into a new array of `dtype`; returns null when the text is not valid base64 or not whole elements. */
export function decodeTyped(text: string, dtype: DType): TypedArray | null {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    return null;
  }
  const width = dtype === 'uint8' ? 1 : 4;
  if (bin.length % width !== 0) return null;
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return dtype === 'float32'
    ? new Float32Array(bytes.buffer)
    : dtype === 'uint32'
      ? new Uint32Array(bytes.buffer)
      : bytes;
}
