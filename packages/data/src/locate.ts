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
  // An explicit --data-dir is the only place searched: a user who names a folder never silently gets another copy.
  if (opts.dataDir) return [join(opts.dataDir, folder), opts.dataDir];
  const env = opts.env ?? process.env;
  const dirs: string[] = [];
  if (env.DP_DATA_DIR) dirs.push(join(env.DP_DATA_DIR, folder), env.DP_DATA_DIR);
  dirs.push(join(cacheDir(env), folder), ...systemPaths);
  return dirs;
}

/** First directory in `dirs` holding every file in `files` (each may also exist with a `.gz` suffix). */
export function findDirWith(dirs: readonly string[], files: readonly string[]): string | undefined {
  return dirs.find((d) => files.every((f) => existsSync(join(d, f)) || existsSync(join(d, `${f}.gz`))));
}

/** Path of `file` in `dir`, preferring the uncompressed copy. */
export function resolveFile(dir: string, file: string): string {
  const plain = join(dir, file);
  return existsSync(plain) ? plain : `${plain}.gz`;
}
