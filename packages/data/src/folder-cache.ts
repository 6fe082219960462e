import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { writeFileAtomic } from '@dp/internal/atomic-write';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { channelStats } from './dataset.js';
import { sharedBytes } from './shared.js';

/**
 * On-disk cache of a decoded image-folder split: a fixed magic, a JSON header (the folder's fingerprint, optionally
 * its content fingerprint, shape, class names, skipped files, per-channel statistics, CRC-32), uint16 LE labels,
 * then the uint8 NHWC pixels. The
 * CRC covers the header's other fields as well as labels and pixels, so damage to, say, the normalisation
 * statistics is caught too. Written to a temporary file and renamed into place; every read checks magic,
 * fingerprint, sizes and checksum.
 */
const MAGIC = Buffer.from('DPIMGC\u0000\u0003', 'latin1');
const CHUNK = 8 << 20;

export interface CachedSplit {
  images: Uint8Array;
  labels: Uint16Array;
  shape: [number, number, number];
  classNames: string[];
  /** Files that were skipped (unreadable or not an image) when the cache was built. */
  skipped: string[];
  /** Per-channel mean and std of the pixels (computed when the cache is written). */
  stats?: { mean: number[]; std: number[] };
  /** sha1 over the files' paths and contents (see folder-content.ts), when every file could be read. */
  contentFingerprint?: string;
}

interface Header {
  key: string;
  /** The key derived from the content fingerprint: lets a cache whose stat key no longer matches be kept. */
  contentKey?: string;
  /** The key derived from the listing (paths and sizes): the content is checked only when this still matches. */
  listKey?: string;
  size: number;
  shape: [number, number, number];
  classNames: string[];
  skipped: string[];
  stats: { mean: number[]; std: number[] };
  crc32: number;
}

/** `rekeyed`: the stat key did not match but the content did (the caller should rewrite the cache under its new key, with `keys`). */
export type CacheRead =
  | { status: 'hit'; split: CachedSplit; rekeyed?: boolean; keys?: ContentKeys }
  | { status: 'missing' }
  | { status: 'stale' | 'corrupt'; problem: string };

/** A running CRC-32. */
class Crc {
  value = 0;
  update(bytes: Uint8Array): void {
    this.value = crc32(bytes, this.value);
  }
}

function readFully(fd: number, into: Uint8Array, position: number, crc?: Crc): boolean {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, Math.min(CHUNK, into.length - got), position + got);
    if (n === 0) return false;
    crc?.update(into.subarray(got, got + n));
    got += n;
  }
  return true;
}

/** The header's fields but the checksum, as the bytes the checksum covers (JSON keeps the key order on a round trip). */
function headerBytes(h: Header): Uint8Array {
  return Buffer.from(JSON.stringify({ ...h, crc32: 0 }), 'utf8');
}

/** The keys besides the stat key that a cache records so it can outlive an mtime-only change of its folder. */
export interface ContentKeys {
  /** From the folder's listing: file paths and sizes, no mtimes. */
  listKey: string;
  /** From the files' contents. */
  contentKey: string;
}

/**
 * Read the cache at `path` if its fingerprint is `key` and it is intact; pixels land in shared memory. When the key
 * differs, the header records content keys and its list key equals `fallback.listKey` (same files, same sizes: only
 * mtimes changed), `fallback.sameContent(contentKey)` decides whether the cache still holds.
 */
export function readCache(
  path: string,
  key: string,
  onProgress?: (done: number, total: number) => void,
  fallback?: { listKey: string; sameContent: (contentKey: string) => boolean },
): CacheRead {
  if (!existsSync(path)) return { status: 'missing' };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { status: 'corrupt', problem: `cannot open it (${(e as NodeJS.ErrnoException).code})` };
  }
  try {
    const fileSize = fstatSync(fd).size;
    const head = new Uint8Array(12);
    if (!readFully(fd, head, 0) || !Buffer.from(head.subarray(0, 8)).equals(MAGIC))
      return { status: 'corrupt', problem: 'bad magic number (not a dp image cache, or an older format)' };
    const headerLen = new DataView(head.buffer).getUint32(8, true);
    if (headerLen > 64 << 20 || 12 + headerLen > fileSize)
      return { status: 'corrupt', problem: `header length ${headerLen} exceeds the file` };
    const json = new Uint8Array(headerLen);
    if (!readFully(fd, json, 12)) return { status: 'corrupt', problem: 'truncated header' };
    let h: Header;
    try {
      h = JSON.parse(Buffer.from(json).toString('utf8')) as Header;
    } catch {
      return { status: 'corrupt', problem: 'unparseable header' };
    }
    if (h === null || typeof h !== 'object') return { status: 'corrupt', problem: 'unparseable header' };
    const stale: CacheRead = {
      status: 'stale',
      problem: 'the folder or the load options changed since it was written',
    };
    if (h.key !== key && !(fallback && typeof h.contentKey === 'string' && h.listKey === fallback.listKey))
      return stale;
    const dims = Array.isArray(h.shape) && h.shape.length === 3 && h.shape.every((d) => Number.isInteger(d) && d > 0);
    if (!dims || !Number.isInteger(h.size) || !Array.isArray(h.classNames) || !Array.isArray(h.skipped))
      return { status: 'corrupt', problem: 'incomplete header' };
    const [hh, ww, cc] = h.shape;
    const imageBytes = h.size * hh * ww * cc;
    const expected = 12 + headerLen + 2 * h.size + imageBytes;
    if (!h.stats || !Array.isArray(h.stats.mean) || typeof h.crc32 !== 'number')
      return { status: 'corrupt', problem: 'incomplete header' };
    if (fileSize !== expected)
      return {
        status: 'corrupt',
        problem: `file is ${fileSize} bytes, its header needs ${expected} (truncated or overwritten)`,
      };
    // Only mtimes changed: read the folder's files (after the cheap checks above) to see whether the bytes did too.
    const rekeyed = h.key !== key;
    if (rekeyed && !fallback!.sameContent(h.contentKey!)) return stale;
    const hash = new Crc();
    hash.update(headerBytes(h));
    const labelBytes = new Uint8Array(2 * h.size);
    if (!readFully(fd, labelBytes, 12 + headerLen, hash)) return { status: 'corrupt', problem: 'truncated labels' };
    const images = sharedBytes(imageBytes);
    const start = 12 + headerLen + labelBytes.length;
    for (let done = 0; done < imageBytes; done += CHUNK) {
      const part = images.subarray(done, Math.min(done + CHUNK, imageBytes));
      if (!readFully(fd, part, start + done, hash)) return { status: 'corrupt', problem: 'truncated pixels' };
      onProgress?.(done + part.length, imageBytes);
    }
    if (hash.value !== h.crc32) return { status: 'corrupt', problem: 'checksum mismatch (the file was damaged)' };
    const labels = new Uint16Array(h.size);
    const view = new DataView(labelBytes.buffer);
    for (let i = 0; i < h.size; i++) {
      labels[i] = view.getUint16(2 * i, true);
      if (labels[i]! >= h.classNames.length)
        return { status: 'corrupt', problem: `label ${labels[i]} of sample ${i} is out of range` };
    }
    return {
      status: 'hit',
      split: { images, labels, shape: h.shape, classNames: h.classNames, skipped: h.skipped, stats: h.stats },
      ...(rekeyed ? { rekeyed, keys: { listKey: h.listKey!, contentKey: h.contentKey! } } : {}),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `split` to `path` atomically (temporary file + rename), under `key` and, when given, the content keys.
 * Returns the statistics it stored.
 */
export function writeCache(
  path: string,
  key: string,
  split: CachedSplit,
  content?: ContentKeys,
): { mean: number[]; std: number[] } {
  mkdirSync(dirname(path), { recursive: true });
  const n = split.labels.length;
  const labelBytes = new Uint8Array(2 * n);
  const view = new DataView(labelBytes.buffer);
  for (let i = 0; i < n; i++) view.setUint16(2 * i, split.labels[i]!, true);
  const stats = split.stats ?? channelStats(split.images, split.shape[2]);
  const header: Header = {
    key,
    ...(content ? { contentKey: content.contentKey, listKey: content.listKey } : {}),
    size: n,
    shape: split.shape,
    classNames: split.classNames,
    skipped: split.skipped,
    stats,
    crc32: 0,
  };
  const crc = new Crc();
  crc.update(headerBytes(header));
  crc.update(labelBytes);
  for (let done = 0; done < split.images.length; done += CHUNK)
    crc.update(split.images.subarray(done, Math.min(done + CHUNK, split.images.length)));
  header.crc32 = crc.value;
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, json.length, true);
  function* parts(): Generator<Uint8Array> {
    yield* [MAGIC, len, json, labelBytes];
    for (let done = 0; done < split.images.length; done += CHUNK)
      yield split.images.subarray(done, Math.min(done + CHUNK, split.images.length));
  }
  writeFileAtomic(path, parts());
  return stats;
}
