import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { appendFileDurable, writeFileDurable, type FileSystem } from '@dp/trainer';
import { ExperimentError } from './errors.js';

/**
 * Write a file atomically and durably (@dp/trainer's writeFileDurable: a temporary file beside it with every byte
 * written and fsynced, a rename, the directory fsynced), so readers never see half a file and a failed write (a full
 * disk) leaves neither the temporary file nor a changed `path`.
 */
export function writeFileAtomic(path: string, text: string): void {
  explainPath(path, () => writeFileDurable(path, text));
}

/**
 * Append a record to a file (log.jsonl, a results file) whole or not at all (@dp/trainer's appendFileDurable: every
 * byte written with its count checked and fsynced, the file cut back to its old size when the disk fills up
 * mid-append). Node's errors for a failed write (ENOSPC, EIO, EDQUOT) carry no path; this one's do, so the one-line
 * error names the file. `fs` replaces node:fs (fault-injection tests).
 */
export function appendFileExplained(path: string, text: string, fs?: FileSystem): void {
  explainPath(path, () => appendFileDurable(path, text, fs));
}

/** Run `f`; a file-system error without a path (write and fsync errors have none) gets `path`. */
function explainPath(path: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err instanceof Error && typeof err.code === 'string' && !err.path) err.path = path;
    throw e;
  }
}

/** Atomically write a JSON file (pretty-printed, newline-terminated). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Refuse, before any work, an output path that cannot be created: `kind` 'file' must not be a directory, 'dir' must
 * not be a file, and the nearest existing ancestor must be a directory (not a file such as /dev/null).
 */
export function checkOutputPath(
  path: string,
  kind: 'file' | 'dir',
  flag: string,
  access: (dir: string) => void = writable,
): void {
  const fix = `fix: choose another ${flag}`;
  if (path.trim() === '')
    throw new ExperimentError(`${flag} is empty: expected a ${kind === 'dir' ? 'directory' : 'file'} path; ${fix}`);
  if (existsSync(path)) {
    const isDir = statSync(path).isDirectory();
    if (kind === 'file' && isDir)
      throw new ExperimentError(`${flag} ${path} is a directory, expected a file path; ${fix}`);
    if (kind === 'dir' && !isDir) throw new ExperimentError(`${flag} ${path} is a file, expected a directory; ${fix}`);
    checkWritable(kind === 'dir' ? path : dirname(resolve(path)), path, flag, access);
    if (kind === 'file') checkWritable(path, path, flag, access);
    return;
  }
  let p = dirname(resolve(path));
  while (!existsSync(p)) p = dirname(p);
  if (!statSync(p).isDirectory())
    throw new ExperimentError(`${flag} ${path} cannot be created: ${p} is not a directory; ${fix}`);
  checkWritable(p, path, flag, access);
}

const writable = (p: string) => accessSync(p, constants.W_OK);

/**
 * The directory where an output goes (or its nearest existing ancestor) must be writable: a read-only file system
 * (EROFS) or missing permission (EACCES) is named now, before any work, instead of failing after training with an
 * error that, for a recursive mkdir, can read as ENOENT.
 */
function checkWritable(dir: string, path: string, flag: string, access: (dir: string) => void): void {
  try {
    access(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EACCES';
    const why =
      code === 'EROFS'
        ? `${dir} is on a read-only file system (EROFS)`
        : code === 'EACCES' || code === 'EPERM'
          ? `${dir} is not writable by this user (${code})`
          : `${dir} cannot be written (${code})`;
    throw new ExperimentError(
      `${flag} ${path} cannot be written: ${why}; fix: choose another ${flag} on a writable file system${code === 'EROFS' ? '' : ', or change the permissions of ' + dir}`,
    );
  }
}

/** One line for a Node file-system error (EEXIST, ENOTDIR, EACCES, ENOSPC, ...), or undefined for other errors. */
export function describeFsError(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const where = err.path ? ` ${err.path}` : '';
  const what = err.message.split(':')[1]?.split(',')[0]?.trim() || err.code;
  const on = err.path ? ` (${err.path})` : '';
  const fixes: Record<string, string> = {
    ENOSPC: `free space on the file system${on} (df -h), then run the command again (--resume continues a run from its last checkpoint)`,
    EDQUOT: `free space within your disk quota${on}, then run the command again`,
    EROFS: `the file system${on} is mounted read-only: choose an output path on a writable one`,
    EACCES: `check the permissions of${where || ' the path'} and its folders, or choose another output path`,
    EPERM: `check the permissions of${where || ' the path'} and its folders, or choose another output path`,
    ENOENT: `check that${where || ' the path'} and the folders above it exist`,
    ENOTDIR: `a part of${where || ' the path'} is a file, not a folder: choose another path`,
    EISDIR: `${where ? where.trim() : 'the path'} is a folder: give a file path`,
    EIO: `the device reported an I/O error${on}: check the disk (dmesg), or write elsewhere`,
  };
  return `cannot ${err.syscall}${where}: ${err.code} (${what}); fix: ${fixes[err.code] ?? 'check the path, its permissions and the free space'}`;
}
