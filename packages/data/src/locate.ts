import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
export function searchDirs(folders: readonly string[], systemPaths: readonly string[], opts: LocateOptions = {}): string[] {
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

/** First directory in `dirs` holding every file in `files` (each may also exist with a `.gz` suffix). */
export function findDirWith(dirs: readonly string[], files: readonly string[]): string | undefined {
  return dirs.find((d) => files.every((f) => existsSync(join(d, f)) || existsSync(join(d, `${f}.gz`))));
}

/** Path of `file` in `dir`, preferring the uncompressed copy. */
export function resolveFile(dir: string, file: string): string {
  const plain = join(dir, file);
  return existsSync(plain) ? plain : `${plain}.gz`;
}
