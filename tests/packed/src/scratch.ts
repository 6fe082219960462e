import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchLockfile, type ProjectSpec } from './lockfile.js';
import type { Tarball } from './pack.js';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a process in a scratch project: this one's, without what `npm test` and the repository set
 * (npm_* variables, NODE_PATH, INIT_CWD), so nothing points back into the repository.
 */
export function outsideEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'NODE_PATH' && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

export function sh(cmd: string, args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: outsideEnv(extra), maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export interface Installer {
  root: string;
  tarballs: Map<string, Tarball>;
  workspaceNames: Map<string, string>;
}

/**
 * Write `dir`/package.json (with `@dp` dependencies as `file:` tarballs) and its lockfile, then
 * `npm install --offline --ignore-scripts` (tfjs-node's native binding is then built by `dp setup-backend`, as the
 * README tells users without access to Google storage). Throws with npm's output when the install fails.
 */
export function install(dir: string, manifest: ProjectSpec & Record<string, unknown>, using: Installer): void {
  const withFiles = (deps?: Record<string, string>) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps).map(([n, v]) => [n, using.tarballs.has(n) ? `file:${using.tarballs.get(n)!.file}` : v]),
    );
  const pkg = {
    ...manifest,
    ...(manifest.dependencies ? { dependencies: withFiles(manifest.dependencies) } : {}),
    ...(manifest.devDependencies ? { devDependencies: withFiles(manifest.devDependencies) } : {}),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const repoLock = JSON.parse(readFileSync(join(using.root, 'package-lock.json'), 'utf8')) as Parameters<
    typeof scratchLockfile
  >[0];
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify(scratchLockfile(repoLock, pkg as ProjectSpec, using.tarballs, using.workspaceNames, dir), null, 2),
  );
  const r = sh('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  if (r.status !== 0) throw new Error(`npm install --offline in ${dir} failed:\n${r.stdout}\n${r.stderr}`);
}
