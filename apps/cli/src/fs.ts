import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileDurable } from '@dp/trainer';
import { CliError } from './errors.js';

/**
 * Write a file atomically and durably (@dp/trainer's writeFileDurable: a temporary file beside it with every byte
 * written and fsynced, a rename, the directory fsynced), so readers never see half a file and a failed write (a full
 * disk) leaves neither the temporary file nor a changed `path`.
 */
export function writeFileAtomic(path: string, text: string): void {
  writeFileDurable(path, text);
}

/** Atomically write a JSON file (pretty-printed, newline-terminated). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Refuse, before any work, an output path that cannot be created: `kind` 'file' must not be a directory, 'dir' must
 * not be a file, and the nearest existing ancestor must be a directory (not a file such as /dev/null).
 */
export function checkOutputPath(path: string, kind: 'file' | 'dir', flag: string): void {
  const fix = `fix: choose another ${flag}`;
  if (existsSync(path)) {
    const isDir = statSync(path).isDirectory();
    if (kind === 'file' && isDir) throw new CliError(`${flag} ${path} is a directory, expected a file path; ${fix}`);
    if (kind === 'dir' && !isDir) throw new CliError(`${flag} ${path} is a file, expected a directory; ${fix}`);
    return;
  }
  let p = dirname(resolve(path));
  while (!existsSync(p)) p = dirname(p);
  if (!statSync(p).isDirectory()) throw new CliError(`${flag} ${path} cannot be created: ${p} is not a directory; ${fix}`);
}

/** One line for a Node file-system error (EEXIST, ENOTDIR, EACCES, ENOSPC, ...), or undefined for other errors. */
export function describeFsError(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const where = err.path ? ` ${err.path}` : '';
  return `cannot ${err.syscall}${where}: ${err.code} (${err.message.split(':')[1]?.split(',')[0]?.trim() ?? err.code}); fix: check the path, its permissions and the free space`;
}
