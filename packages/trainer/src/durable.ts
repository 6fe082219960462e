import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** A write(2)-like call: writes some prefix of `data` and returns how many bytes it wrote (fs.writeSync's contract). */
export type WriteFn = (fd: number, data: Uint8Array) => number;

const defaultWrite: WriteFn = (fd, data) => writeSync(fd, data);

/**
 * Write all of `data`, however many calls it takes: writeSync may write fewer bytes than asked (a nearly full disk,
 * a signal), and ignoring its count leaves a truncated file that looks written. A call that writes nothing makes no
 * progress and is reported as ENOSPC, the only reason a regular file takes 0 bytes.
 */
export function writeFully(fd: number, data: Uint8Array, write: WriteFn = defaultWrite, path = ''): void {
  let done = 0;
  while (done < data.length) {
    const n = write(fd, data.subarray(done));
    if (!Number.isInteger(n) || n <= 0 || n > data.length - done) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write${path ? ` '${path}'` : ''} (${done} of ${data.length} bytes written)`), {
        code: 'ENOSPC',
        syscall: 'write',
        ...(path ? { path } : {}),
      });
    }
    done += n;
  }
}

/** Create (truncate) `path`, write all of `data`, fsync, close. */
export function writeFileSynced(path: string, data: Uint8Array | string, write: WriteFn = defaultWrite): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const fd = openSync(path, 'w');
  try {
    writeFully(fd, bytes, write, path);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a directory, so that renames and new entries in it survive a power loss (a no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    // Some file systems (and Windows) refuse fsync on a directory: the rename is then as durable as they make it.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replace `path` atomically and durably: a temporary file beside it gets all the bytes (short writes retried) and is
 * fsynced, then renamed over `path`, then the directory is fsynced. Readers see the old file or the new one, never
 * half of one; on any error the temporary file is removed, `path` is untouched and the error is rethrown.
 */
export function writeFileDurable(path: string, data: Uint8Array | string, write: WriteFn = defaultWrite): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSynced(tmp, data, write);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}
