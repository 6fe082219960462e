import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DecodeOptions, ImageDecoder } from './folder-decode.js';

/**
 * What the image-folder cache key records about the decoder. The built-in decoder (tfjs-node's, from the
 * `@dp/data/image-folder` entry) adds nothing, so the default key, and every cache written before decoders were part
 * of the key, stays valid; a custom `decodeImage` or `decodeModule` adds its identity, so switching decoders never
 * reuses another decoder's pixels.
 */

/** Marks the built-in decoder function (Symbol.for: every copy of the package agrees on it). */
const BUILT_IN = Symbol.for('@dp/data.builtInDecoder');

/** Mark `decode` as the built-in decoder, which leaves the cache key as it is. */
export function markBuiltInDecoder<T extends ImageDecoder>(decode: T): T {
  Object.defineProperty(decode, BUILT_IN, { value: true });
  return decode;
}

function isBuiltIn(decode: ImageDecoder): boolean {
  return (decode as unknown as Record<symbol, unknown>)[BUILT_IN] === true;
}

/** The built-in decoder module: the `image-folder.js` entry beside this package's built modules. */
const BUILT_IN_MODULE = new URL('./image-folder.js', import.meta.url).href;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/**
 * The identity of the custom decoders in `opts`, or undefined when there is none (no decoder, or the built-in one):
 * a custom `decodeImage` by its name and a hash of its source text, a custom `decodeModule` by its URL (and, for a
 * file, its size and modification time).
 */
export function decoderIdentity(opts: Pick<DecodeOptions, 'decodeImage' | 'decodeModule'>): string | undefined {
  const parts: string[] = [];
  if (opts.decodeImage && !isBuiltIn(opts.decodeImage))
    parts.push(`decodeImage ${opts.decodeImage.name || '(anonymous)'} ${sha1(opts.decodeImage.toString())}`);
  if (opts.decodeModule !== undefined) {
    const href = opts.decodeModule instanceof URL ? opts.decodeModule.href : String(opts.decodeModule);
    if (href !== BUILT_IN_MODULE) parts.push(`decodeModule ${href}${fileStamp(href)}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

function fileStamp(href: string): string {
  if (!href.startsWith('file:')) return '';
  try {
    const st = statSync(fileURLToPath(href));
    return ` ${st.size} ${st.mtimeMs}`;
  } catch {
    return '';
  }
}
