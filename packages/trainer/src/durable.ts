/**
 * @dp/trainer's durable-write exports, kept for their callers: thin wrappers over the one atomic-write helper of the
 * dp packages (@dp/internal/atomic-write: every byte written with its count checked, file and directory fsynced).
 * New code should call `writeFileAtomic` (which throws a FileWriteError naming the path and a fix); these wrappers
 * throw the underlying errno error (code, path) as they always did.
 */
import { appendFileSynced } from '@dp/internal/append-synced';
import * as atomic from '@dp/internal/atomic-write';
import type { FileSystem } from '@dp/internal/file-system';
import { nodeFileSystem } from '@dp/internal/node-fs';

export { FileWriteError, writeFileAtomic, type FileContent, type WriteOptions } from '@dp/internal/atomic-write';
export type { FileSystem } from '@dp/internal/file-system';
export { nodeFileSystem } from '@dp/internal/node-fs';

/** A write(2)-like call: writes some prefix of `data` and returns how many bytes it wrote (fs.writeSync's contract). */
export type WriteFn = (fd: number, data: Uint8Array) => number;

/** node:fs with its write replaced by `write` (when given). */
export function withWrite(write?: WriteFn, fs: FileSystem = nodeFileSystem): FileSystem {
  return write ? { ...fs, write } : fs;
}

/** Run `f`, rethrowing a FileWriteError's underlying errno error (these wrappers' contract). */
function unwrapped(f: () => void): void {
  try {
    f();
  } catch (e) {
    throw atomic.FileWriteError.isInstance(e) && e.cause instanceof Error ? e.cause : e;
  }
}

/** Write all of `data` to `fd`, however many calls it takes (a call that writes nothing is ENOSPC). */
export function writeFully(fd: number, data: Uint8Array, write?: WriteFn, path = ''): void {
  unwrapped(() => atomic.writeFully(withWrite(write), fd, data, path));
}

/** Create (truncate) `path`, write all of `data`, fsync, close. */
export function writeFileSynced(path: string, data: Uint8Array | string, write?: WriteFn): void {
  unwrapped(() => atomic.writeFileSynced(path, data, { fs: withWrite(write) }));
}

/** fsync a directory, so that renames and new entries in it survive a power loss (a no-op where unsupported). */
export function fsyncDir(dir: string): void {
  unwrapped(() => atomic.fsyncDir(dir));
}

/** Replace `path` atomically and durably (atomic.writeFileAtomic), throwing the underlying errno error on failure. */
export function writeFileDurable(path: string, data: Uint8Array | string, write?: WriteFn): void {
  unwrapped(() => atomic.writeFileAtomic(path, data, { fs: withWrite(write) }));
}

/**
 * Append `data` to `path` whole or not at all (the shared append-synced helper: byte counts checked, fsynced, the file cut
 * back to its old size on failure), throwing the underlying errno error on failure. `fs` replaces node:fs (tests).
 */
export function appendFileDurable(path: string, data: Uint8Array | string, fs?: FileSystem): void {
  unwrapped(() => appendFileSynced(path, data, fs ? { fs } : {}));
}
