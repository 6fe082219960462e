import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Manifest, Workspace } from './workspaces.js';

export interface Tarball {
  name: string;
  file: string;
  /** sha512 SRI of the file, as npm records it in lockfiles. */
  integrity: string;
  manifest: Manifest;
  /** Paths inside the tarball (without the leading 'package/'). */
  files: string[];
}

/**
 * `npm pack` a workspace into `outDir`, as a release would: its prepack script runs (copying LICENSE; with
 * DP_PACK_PREBUILT=1 it reuses the dist/ that `npm test`'s build just made instead of rebuilding).
 */
export function pack(w: Workspace, outDir: string, env: NodeJS.ProcessEnv): Tarball {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: w.dir, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`npm pack ${w.manifest.name} failed:\n${r.stderr}`);
  // The JSON array is the last thing npm prints; a prepack script's build log may come before it (and contain '[').
  const start = r.stdout.search(/^\[\s*\{?\s*$/m);
  const json = r.stdout.slice(start >= 0 ? start : r.stdout.indexOf('['));
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  return tarballOf(
    join(outDir, info!.filename),
    w.manifest,
    info!.files.map((f) => f.path),
  );
}

/** A packed file with its manifest, and the sha512 integrity npm records for it. */
export function tarballOf(file: string, manifest: Manifest, files: string[]): Tarball {
  return {
    name: manifest.name,
    file,
    integrity: `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`,
    manifest,
    files,
  };
}
