import { relative } from 'node:path';
import type { Tarball } from './pack.js';

/** One `packages` entry of a v3 package-lock.json (the fields this module reads or writes). */
export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  license?: string;
  bin?: Record<string, string> | string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface ProjectSpec {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The folder of the `node_modules` level above a lockfile path ('' for a top-level package or a workspace). */
function parentOf(path: string): string {
  const i = path.lastIndexOf('/node_modules/');
  return i >= 0 ? path.slice(0, i) : '';
}

/**
 * The package-lock.json of a scratch project that depends on `project`'s dependencies, where @dp packages are the
 * packed `tarballs` and every other package is the one the repository's own lockfile resolves (same version,
 * integrity and place in the tree). With it, `npm install --offline` installs from npm's cache without asking the
 * registry for anything (a lockfile needs no package documents). `workspaceNames` maps a workspace folder
 * ('packages/scores') to its package name. Throws when a dependency is in neither.
 */
export function scratchLockfile(
  repoLock: { packages: Record<string, LockEntry> },
  project: ProjectSpec,
  tarballs: ReadonlyMap<string, Tarball>,
  workspaceNames: ReadonlyMap<string, string>,
  projectDir: string,
): object {
  const repo = repoLock.packages;
  const packages: Record<string, LockEntry> = {
    '': {
      name: project.name,
      version: '1.0.0',
      ...(project.dependencies ? { dependencies: project.dependencies } : {}),
      ...(project.devDependencies ? { devDependencies: project.devDependencies } : {}),
    },
  };
  const queue: { repoBase: string; deps: [string, boolean][]; from: string }[] = [
    {
      repoBase: '',
      deps: Object.keys({ ...project.dependencies, ...project.devDependencies }).map((n) => [n, true]),
      from: project.name,
    },
  ];
  const toScratch = (repoPath: string): string => {
    for (const [rel, name] of workspaceNames)
      if (repoPath.startsWith(`${rel}/`)) return `node_modules/${name}${repoPath.slice(rel.length)}`;
    return repoPath;
  };
  const place = (name: string, repoBase: string, required: boolean, from: string): void => {
    const tarball = tarballs.get(name);
    if (tarball) {
      const path = `node_modules/${name}`;
      if (packages[path]) return;
      const m = tarball.manifest;
      packages[path] = {
        version: m.version,
        resolved: `file:${relative(projectDir, tarball.file)}`,
        integrity: tarball.integrity,
        ...(typeof m.license === 'string' ? { license: m.license } : {}),
        ...(m.dependencies ? { dependencies: m.dependencies } : {}),
        ...(m.peerDependencies ? { peerDependencies: m.peerDependencies } : {}),
        ...(m.peerDependenciesMeta ? { peerDependenciesMeta: m.peerDependenciesMeta } : {}),
        ...(m.bin ? { bin: m.bin } : {}),
        ...(m.engines ? { engines: m.engines as Record<string, string> } : {}),
      };
      const rel = [...workspaceNames].find(([, n]) => n === name)?.[0] ?? '';
      queue.push({ repoBase: rel, deps: depsOf(packages[path]!), from: name });
      return;
    }
    for (let base = repoBase; ; base = parentOf(base)) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      const entry = repo[candidate];
      // Another platform's optional binary (npm keeps those in lockfiles): not installed here, as npm would skip it.
      if (entry && !required && !forThisPlatform(entry)) return;
      if (entry) {
        if (entry.link)
          throw new Error(
            `${from} depends on ${name}, a workspace package that is not published (private): it cannot be installed from the tarballs`,
          );
        const path = toScratch(candidate);
        if (packages[path]) return;
        const copy: LockEntry = {};
        for (const [k, v] of Object.entries(entry))
          if (!['dev', 'devOptional', 'optional', 'peer', 'resolved'].includes(k)) copy[k] = v;
        packages[path] = copy;
        queue.push({ repoBase: candidate, deps: depsOf(entry), from: name });
        return;
      }
      if (base === '') break;
    }
    if (required) throw new Error(`${from} depends on ${name}, which the repository's package-lock.json does not hold`);
  };
  while (queue.length) {
    const { repoBase, deps, from } = queue.shift()!;
    for (const [name, required] of deps) place(name, repoBase, required, from);
  }
  return { name: project.name, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/**
 * What npm installs for a package, each with whether it must be found: dependencies and required peers (npm >= 7
 * installs peers); optional dependencies (platform binaries) when the repository's lockfile has them for this platform.
 */
function depsOf(e: LockEntry): [string, boolean][] {
  const peers = Object.keys(e.peerDependencies ?? {}).filter((n) => !e.peerDependenciesMeta?.[n]?.optional);
  const required = new Set([...Object.keys(e.dependencies ?? {}), ...peers]);
  const optional = Object.keys(e.optionalDependencies ?? {}).filter((n) => !required.has(n));
  return [
    ...[...required].map((n): [string, boolean] => [n, true]),
    ...optional.map((n): [string, boolean] => [n, false]),
  ];
}

/** Whether an entry's `os` / `cpu` lists (npm's syntax, with '!' negations) admit this machine. */
export function forThisPlatform(
  e: LockEntry,
  platform: string = process.platform,
  arch: string = process.arch,
): boolean {
  const admits = (list: unknown, value: string) => {
    if (!Array.isArray(list) || list.length === 0) return true;
    const items = list as string[];
    if (items.includes(`!${value}`)) return false;
    const positive = items.filter((x) => !x.startsWith('!'));
    return positive.length === 0 || positive.includes(value);
  };
  return admits(e.os, platform) && admits(e.cpu, arch);
}
