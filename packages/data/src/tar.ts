import { mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '@dp/internal/atomic-write';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/** One member of a tar archive. `data` is a view into the archive bytes (no copy). */
export interface TarEntry {
  path: string;
  /** 'file', 'directory' or 'other' (links, devices: skipped on extraction). */
  type: 'file' | 'directory' | 'other';
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(block: Uint8Array, offset: number, length: number, what: string, at: number, source: string): number {
  const text = field(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text))
    throw new DataError(
      `${source}: tar header at byte ${at} has a malformed ${what} field '${text}'`,
      'the archive is corrupt; delete it and download it again',
    );
  return text === '' ? 0 : parseInt(text, 8);
}

/** Parse a pax extended header's `len key=value\n` records. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = decoder.decode(data);
  let i = 0;
  while (i < text.length) {
    const space = text.indexOf(' ', i);
    if (space < 0) break;
    const len = parseInt(text.slice(i, space), 10);
    if (!(len > 0)) break;
    const record = text.slice(space + 1, i + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * Read a (ustar / GNU / pax) tar archive held in memory. Header checksums and member sizes are checked, so a
 * truncated or corrupt archive is an error rather than a short listing.
 */
export function readTar(bytes: Uint8Array, source = '<tar>'): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (pos + BLOCK <= bytes.length) {
    const block = bytes.subarray(pos, pos + BLOCK);
    if (block.every((b) => b === 0)) return entries; // end-of-archive marker
    const stored = octal(block, 148, 8, 'checksum', pos, source);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    if (sum !== stored)
      throw new DataError(
        `${source}: tar header at byte ${pos} fails its checksum (${sum} != ${stored})`,
        'the archive is corrupt; delete it and download it again',
      );
    const size = octal(block, 124, 12, 'size', pos, source);
    const flag = String.fromCharCode(block[156]!);
    const start = pos + BLOCK;
    if (start + size > bytes.length) {
      throw new DataError(
        `${source}: tar member at byte ${pos} needs ${size} bytes but the archive ends after ${bytes.length - start}`,
        'the archive is truncated; delete it and download it again',
      );
    }
    const data = bytes.subarray(start, start + size);
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (flag === 'x') {
      paxPath = paxRecords(data).get('path');
      continue;
    }
    if (flag === 'g') continue;
    let path = field(block, 0, 100);
    if (field(block, 257, 5) === 'ustar') {
      const prefix = field(block, 345, 155);
      if (prefix) path = `${prefix}/${path}`;
    }
    path = paxPath ?? longName ?? path;
    longName = paxPath = undefined;
    const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'directory' : 'other';
    entries.push({ path, type, data });
  }
  throw new DataError(
    `${source}: tar archive ends without its end-of-archive marker`,
    'the archive is truncated; delete it and download it again',
  );
}

/** Gunzip and read a .tar.gz held in memory. */
export function readTarGz(bytes: Uint8Array, source = '<tar.gz>'): TarEntry[] {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes);
  } catch (e) {
    throw new DataError(
      `${source}: corrupt gzip data (${(e as Error).message})`,
      'delete the archive and download it again',
    );
  }
  return readTar(tar, source);
}

/**
 * Extract a .tar.gz file into `dest`. Members are written to a temporary name and renamed, so an interrupted
 * extraction never leaves a half-written file under its final name. Paths escaping `dest` are rejected.
 * Returns the extracted file paths (relative to `dest`).
 */
export function extractTarGz(file: string, dest: string): string[] {
  const entries = readTarGz(readFileSync(file), file);
  const written: string[] = [];
  for (const e of entries) {
    const rel = normalize(e.path);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel.split(sep).includes('..')) {
      throw new DataError(
        `${file}: member '${e.path}' would be written outside ${dest}`,
        'do not extract untrusted archives; download the official file again',
      );
    }
    const target = join(dest, rel);
    if (e.type === 'directory') mkdirSync(target, { recursive: true });
    if (e.type !== 'file') continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, e.data);
    written.push(rel);
  }
  return written;
}
