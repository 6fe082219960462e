import { renameSync, writeFileSync } from 'node:fs';

/** Write a file atomically: a temporary file beside it, then a rename, so readers never see half a file. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Atomically write a JSON file (pretty-printed, newline-terminated). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
