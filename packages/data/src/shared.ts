/**
 * Pixel buffers are allocated in SharedArrayBuffers so the batch loader's worker thread reads them without a
 * copy. Node's fs and zlib accept views on shared memory like any other Uint8Array.
 */
export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** Whether `a` already lives in shared memory (then a worker can use it as is). */
export function isShared(a: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** `a` itself when it is in shared memory, else a copy in a new SharedArrayBuffer (made once). */
export function toShared(a: Uint8Array): Uint8Array {
  if (isShared(a)) return a;
  const out = sharedBytes(a.length);
  out.set(a);
  return out;
}
