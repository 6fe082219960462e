import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  [key: string]: unknown;
}

export interface Workspace {
  /** Folder relative to the repository root ('packages/policies'). */
  rel: string;
  dir: string;
  manifest: Manifest;
}

/** Every workspace package of the repository (its root package.json's `workspaces`, 'dir/*' patterns). */
export function workspaces(root: string): Workspace[] {
  const { workspaces: patterns } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const out: Workspace[] = [];
  for (const pattern of patterns ?? []) {
    if (!pattern.endsWith('/*'))
      throw new Error(`workspace pattern ${pattern} is not of the form dir/*: extend workspaces()`);
    const parent = pattern.slice(0, -2);
    for (const name of readdirSync(join(root, parent)).sort()) {
      const manifest = join(root, parent, name, 'package.json');
      if (existsSync(manifest))
        out.push({
          rel: `${parent}/${name}`,
          dir: join(root, parent, name),
          manifest: JSON.parse(readFileSync(manifest, 'utf8')) as Manifest,
        });
    }
  }
  return out;
}

/** The workspaces npm would publish: those not marked private. */
export function publicWorkspaces(root: string): Workspace[] {
  return workspaces(root).filter((w) => w.manifest.private !== true);
}
