/**
 * The one way the dp packages write a file that must never be seen half-written: every byte of a temporary file
 * beside the target is written (short writes continued, their counts checked), fsynced and closed, the temporary file
 * is renamed over the target, and the directory is fsynced so the rename survives a power loss. On any failure the
 * temporary file is removed, the target is untouched, and one FileWriteError names the path, the cause and a fix.
 */
import { dirname } from 'node:path';
import { DpError, isDpErrorNamed } from './error.js';
import type { FileSystem } from './file-system.js';
import { nodeFileSystem } from './node-fs.js';

export type { FileSystem } from './file-system.js';

/** What to write: bytes, text (UTF-8), or chunks written in order (large files need not be one buffer). */
export type FileContent = Uint8Array | string | Iterable<Uint8Array>;

export interface WriteOptions {
  /** The file-system layer (default node:fs): tests inject faults here. */
  fs?: FileSystem;
}

/** A write that failed: `code` is the errno code (ENOSPC, EROFS, ...) when there is one, `path` the file. */
export class FileWriteError extends DpError {
  override readonly name = 'FileWriteError';

  constructor(
    readonly path: string,
    readonly code: string | undefined,
    problem: string,
    fix: string,
    cause?: unknown,
  ) {
    super(problem, fix, { field: 'path', value: path, cause });
  }

  static override isInstance(e: unknown): e is FileWriteError {
    return isDpErrorNamed(e, 'FileWriteError');
  }
}

/** The FileWriteError for the low-level error `e` met while writing `path`. */
export function writeFailure(path: string, e: unknown): FileWriteError {
  if (FileWriteError.isInstance(e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const c = typeof code === 'string' ? code : undefined;
  const what: Record<string, [string, string]> = {
    ENOSPC: [
      'the disk is full (ENOSPC)',
      `free space on the disk that holds ${dirname(path)}, then run the same command again`,
    ],
    EDQUOT: ['the disk quota is exhausted (EDQUOT)', 'free space within your quota, then run the same command again'],
    EROFS: ['the file system is read-only (EROFS)', `write to a writable location instead of ${dirname(path)}`],
    EACCES: ['permission denied (EACCES)', `write somewhere you may write, or fix the permissions of ${dirname(path)}`],
    EPERM: [
      'operation not permitted (EPERM)',
      `write somewhere you may write, or fix the permissions of ${dirname(path)}`,
    ],
    ENOENT: [`the directory ${dirname(path)} does not exist (ENOENT)`, `create ${dirname(path)} first`],
    EISDIR: ['it is a directory (EISDIR)', 'give the path of a file'],
  };
  const [why, fix] = (c !== undefined ? what[c] : undefined) ?? [
    (e as Error)?.message ?? String(e),
    'fix the cause above and run the same command again',
  ];
  return new FileWriteError(path, c, `could not write ${path}: ${why}`, fix, e);
}

/**
 * Write all of `data` to `fd`, however many calls it takes: write(2) may write fewer bytes than asked (a nearly full
 * disk, a signal), and ignoring its count leaves a truncated file that looks written. A call that writes nothing (or
 * claims more than it was given) makes no progress and is reported as ENOSPC, the only reason a regular file takes 0.
 */
export function writeFully(fs: FileSystem, fd: number, data: Uint8Array, path: string): void {
  let done = 0;
  while (done < data.length) {
    const n = fs.write(fd, data.subarray(done));
    if (!Number.isInteger(n) || n <= 0 || n > data.length - done) {
      const e = Object.assign(
        new Error(`ENOSPC: no space left on device, write '${path}' (${done} of ${data.length} bytes written)`),
        { code: 'ENOSPC', syscall: 'write', path },
      );
      throw writeFailure(path, e);
    }
    done += n;
  }
}

/** The parts of `data` to write in order. */
export function chunks(data: FileContent): Iterable<Uint8Array> {
  if (typeof data === 'string') return [new TextEncoder().encode(data)];
  return data instanceof Uint8Array ? [data] : data;
}

/** Open `path` for writing ('w': create or truncate; 'a': create or append); a failure is a FileWriteError. */
export function openForWriting(fs: FileSystem, path: string, flags: 'w' | 'a'): number {
  try {
    return fs.open(path, flags);
  } catch (e) {
    throw writeFailure(path, e);
  }
}

/** Create (truncate) `path`, write all of `data`, fsync, close. Throws a FileWriteError. */
export function writeFileSynced(path: string, data: FileContent, { fs = nodeFileSystem }: WriteOptions = {}): void {
  const fd = openForWriting(fs, path, 'w');
  try {
    for (const chunk of chunks(data)) writeFully(fs, fd, chunk, path);
    fs.fsync(fd);
  } catch (e) {
    throw writeFailure(path, e);
  } finally {
    try {
      fs.close(fd);
    } catch {
      // A close that fails after a failed write adds nothing; after a good fsync the data is on disk.
    }
  }
}

/** fsync a directory, so that renames and new entries in it survive a power loss (a no-op where unsupported). */
export function fsyncDir(dir: string, { fs = nodeFileSystem }: WriteOptions = {}): void {
  let fd: number | undefined;
  try {
    fd = fs.open(dir, 'r');
    fs.fsync(fd);
  } catch (e) {
    // Some file systems (and Windows) refuse fsync on a directory: the rename is then as durable as they make it.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((e as { code?: string }).code ?? ''))
      throw writeFailure(dir, e);
  } finally {
    if (fd !== undefined) fs.close(fd);
  }
}

let counter = 0;

/**
 * Replace `path` atomically and durably with `data` (see the top of this file). Readers see the old file or the new
 * one, never half of one. Throws a FileWriteError naming `path`.
 */
export function writeFileAtomic(path: string, data: FileContent, options: WriteOptions = {}): void {
  const fs = options.fs ?? nodeFileSystem;
  const tmp = `${path}.tmp-${process.pid}-${++counter}`;
  try {
    writeFileSynced(tmp, data, { fs });
    fs.rename(tmp, path);
  } catch (e) {
    try {
      fs.unlink(tmp);
    } catch {
      // Nothing more can be done; the error below is what matters.
    }
    const failure = writeFailure(path, e);
    // Report the target, not the temporary file.
    throw failure.path === path
      ? failure
      : new FileWriteError(path, failure.code, failure.problem.replace(tmp, path), failure.fix, e);
  }
  try {
    fsyncDir(dirname(path), { fs });
  } catch (e) {
    // The new file is complete and in place, but whether its rename survives a power loss is unknown: still a failure.
    const failure = writeFailure(dirname(path), e);
    throw new FileWriteError(
      path,
      failure.code,
      `${path} was written, but fsync of its directory failed: ${failure.problem}`,
      failure.fix,
      e,
    );
  }
}
