/** 31-bit FNV-1a hash of a string's code points: a cheap fingerprint workers compare to agree on a layout. Pure. */
export function fnv1a31(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h & 0x7fffffff;
}
