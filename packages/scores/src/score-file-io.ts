import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic, type WriteOptions } from '@dp/internal/atomic-write';
import { ScoreError } from './errors.js';
import {
  decodeScoreFile,
  encodeScoreFile,
  type ScoreFile,
  type ScoreFileExpect,
  type ScoreFileHeader,
  type ScoreFileHeaderInput,
} from './score-file.js';

/**
 * Write a score file atomically (Node only): encode and validate, then write it with the dp packages' one atomic-write
 * helper (a temporary file beside `path`, every byte's count checked, fsynced, renamed over `path`, the directory
 * fsynced). On any failure the temporary file is removed and `path` is untouched: nothing is ever half-written.
 * `options.fs` replaces the file-system layer (fault-injection tests). Returns the header written.
 */
export async function writeScoreFile(
  path: string,
  header: ScoreFileHeaderInput,
  scores: Float32Array,
  options: WriteOptions = {},
): Promise<ScoreFileHeader> {
  if (typeof path !== 'string' || path === '')
    throw new ScoreError(`path = ${JSON.stringify(path)} is invalid`, 'pass the score file path', 'path');
  const encoded = encodeScoreFile(header, scores); // throws before touching the disk
  const dir = dirname(path);
  try {
    writeFileAtomic(path, encoded.bytes, options);
  } catch (e) {
    const err = e as { code?: string; problem?: string; message: string };
    if (err.code === 'ENOENT')
      throw new ScoreError(
        `cannot write score file ${path}: directory ${dir} does not exist`,
        `create ${dir} first`,
        'path',
      );
    if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') {
      throw new ScoreError(
        `cannot write score file ${path}: ${err.code} (${err.code === 'EROFS' ? 'read-only file system' : 'permission denied'})`,
        'write it somewhere you may write',
        'path',
      );
    }
    if (err.code === 'EISDIR')
      throw new ScoreError(`cannot write score file ${path}: it is a directory`, 'pass a file path', 'path');
    if (err.code === 'ENOSPC')
      throw new ScoreError(
        `cannot write score file ${path}: the disk is full (ENOSPC)`,
        `free space on the disk that holds ${dir} and write it again`,
        'path',
      );
    throw new ScoreError(
      `cannot write score file ${path}: ${err.problem ?? err.message}`,
      'check the disk (space, permissions) and retry',
      'path',
    );
  }
  return encoded.header;
}

/**
 * Read and validate a score file (Node only). See decodeScoreFile for the checks; pass `expectSize` and
 * `expectFingerprint` (datasetFingerprint of the training set) to refuse scores of another dataset.
 */
export async function readScoreFile(path: string, expect: ScoreFileExpect = {}): Promise<ScoreFile> {
  if (typeof path !== 'string' || path === '')
    throw new ScoreError(`path = ${JSON.stringify(path)} is invalid`, 'pass the score file path', 'path');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT')
      throw new ScoreError(
        `no score file at ${path}`,
        'compute one with `dp score --method el2n|grand|forgetting ...` or fix the path',
        'path',
      );
    if (err.code === 'EISDIR')
      throw new ScoreError(`${path} is a directory, not a score file`, 'pass the score file path', 'path');
    throw new ScoreError(
      `cannot read score file ${path}: ${err.message}`,
      'check the path and its permissions',
      'path',
    );
  }
  return decodeScoreFile(bytes, expect, `score file ${path}`);
}
