import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FolderScan } from './folder-scan.js';

/**
 * The content fingerprint of an image folder: sha1 over every file's relative path and the sha1 of its bytes, in
 * scan order. The scan's fingerprint (sizes and mtimes) is the cheap test a cache is checked against first; when
 * only that changes (the folder was copied, re-extracted or re-mounted, which resets mtimes) a cache that recorded
 * this fingerprint is checked byte for byte instead of being decoded again. Reading the files costs a fraction of
 * decoding them (CIFAR-10's 60,000 JPEGs: about 3 s against about 40 s).
 */

/** sha1 (hex) of one file's bytes. */
export function fileDigest(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * Combine per-file digests (in scan order) into the folder's content fingerprint; undefined when a file could not
 * be read (its digest is undefined), since its content is then unknown.
 */
export function combineDigests(scan: FolderScan, digests: readonly (string | undefined)[]): string | undefined {
  const hash = createHash('sha1');
  for (let i = 0; i < scan.files.length; i++) {
    const d = digests[i];
    if (d === undefined) return undefined;
    hash.update(`${scan.files[i]}\t${d}\n`);
  }
  return hash.digest('hex');
}

/** Read every file of `scan` and return its content fingerprint (undefined when a file cannot be read). */
export function contentFingerprint(
  scan: FolderScan,
  onProgress?: (done: number, total: number) => void,
): string | undefined {
  const digests: string[] = [];
  const total = scan.files.length;
  for (let i = 0; i < total; i++) {
    try {
      digests.push(fileDigest(readFileSync(join(scan.dir, scan.files[i]!))));
    } catch {
      return undefined;
    }
    if ((i + 1) % 1000 === 0 || i + 1 === total) onProgress?.(i + 1, total);
  }
  return combineDigests(scan, digests);
}
