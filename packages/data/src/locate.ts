import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

export interface LocateOptions {
  /** Explicit directory (the CLI's --data-dir). Takes precedence over everything else. */
  dataDir?: string | undefined;
  /** Environment to read DP_DATA_DIR / DP_CACHE_DIR from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The cache directory downloads go to: $DP_CACHE_DIR, else $XDG_CACHE_HOME/dp, else ~/.cache/dp. */
export function cacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.DP_CACHE_DIR) return env.DP_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dp');
}

/**
 * Candidate directories for a dataset, in the order they are searched: --data-dir alone when given;
 * otherwise $DP_DATA_DIR (with the dataset's folder name appended, then as given), the cache directory,
 * then known system paths.
 */
export function candidateDirs(folder: string, systemPaths: readonly string[], opts: LocateOptions = {}): string[] {
  return searchDirs([folder], systemPaths, opts);
}

/**
 * Candidate directories for a dataset known under several folder names, ordered by place first: every name under
 * --data-dir, then --data-dir itself (and nothing else when it is given); otherwise every name under $DP_DATA_DIR,
 * then $DP_DATA_DIR itself, then every name under the cache directory, then the system paths. So a copy in
 * $DP_DATA_DIR wins over one in the cache whatever folder name either uses. Duplicates are dropped.
 */
export function searchDirs(
  folders: readonly string[],
  systemPaths: readonly string[],
  opts: LocateOptions = {},
): string[] {
  checkDataDirs(opts);
  // An explicit --data-dir is the only place searched: a user who names a folder never silently gets another copy.
  if (opts.dataDir) return unique([...folders.map((f) => join(opts.dataDir!, f)), opts.dataDir]);
  const env = opts.env ?? process.env;
  const dirs: string[] = [];
  if (env.DP_DATA_DIR) dirs.push(...folders.map((f) => join(env.DP_DATA_DIR!, f)), env.DP_DATA_DIR);
  const cache = cacheDir(env);
  dirs.push(...folders.map((f) => join(cache, f)), ...systemPaths);
  return unique(dirs);
}

const unique = (dirs: readonly string[]): string[] => [...new Set(dirs)];

/**
 * The folders a user names must be folders: --data-dir (dataDir) that is a file, and $DP_DATA_DIR that is a file or
 * does not exist, are refused rather than searched in vain (a $DP_DATA_DIR that points nowhere silently fell through
 * to the cache and the system copy, so the run trained on data the user did not choose).
 */
export function checkDataDirs(opts: LocateOptions = {}): void {
  if (opts.dataDir !== undefined) {
    if (opts.dataDir.trim() === '')
      throw new DataError('--data-dir is empty', 'give the folder holding the dataset, or leave --data-dir out');
    if (existsSync(opts.dataDir) && !statSync(opts.dataDir).isDirectory()) {
      throw new DataError(
        `--data-dir ${opts.dataDir} is a file, not a folder`,
        'give the folder holding the dataset files (or its parent), not a file in it',
      );
    }
    return;
  }
  const env = (opts.env ?? process.env).DP_DATA_DIR;
  if (env === undefined || env === '') return;
  if (!existsSync(env))
    throw new DataError(
      `$DP_DATA_DIR=${env} does not exist`,
      'point DP_DATA_DIR at the folder holding your datasets, or unset it to use the cache and system copies',
    );
  if (!statSync(env).isDirectory())
    throw new DataError(
      `$DP_DATA_DIR=${env} is a file, not a folder`,
      'point DP_DATA_DIR at the folder holding your datasets, or unset it to use the cache and system copies',
    );
}

/** First directory in `dirs` holding every file in `files` (each may also exist with a `.gz` suffix). */
export function findDirWith(dirs: readonly string[], files: readonly string[]): string | undefined {
  return dirs.find((d) => files.every((f) => existsSync(join(d, f)) || existsSync(join(d, `${f}.gz`))));
}

/**
 * Path of `file` in `dir`: the one of `file` and `file.gz` that exists. When both do, they must hold the same data
 * (the uncompressed copy is then read): an uncompressed file that differs from the `.gz` beside it (another release, a
 * truncated extract, another dataset) would otherwise shadow it silently, so that is refused, naming both.
 */
export function resolveFile(dir: string, file: string): string {
  const plain = join(dir, file);
  const gz = `${plain}.gz`;
  if (!existsSync(plain)) return gz;
  if (!existsSync(gz)) return plain;
  let same: boolean;
  try {
    const a = readFileSync(plain);
    const b = gunzipSync(readFileSync(gz));
    same = a.length === b.length && a.equals(b);
  } catch {
    same = false; // an unreadable or corrupt .gz cannot be the same data
  }
  if (!same) {
    throw new DataError(
      `both ${plain} and ${gz} exist and hold different data, so which one is the dataset is ambiguous`,
      `delete the one that is not the dataset (an uncompressed copy is read first when both hold the same data)`,
    );
  }
  return plain;
}
