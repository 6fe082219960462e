import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The command that sets up the native backend where the code at `dir` runs: `npm run setup` inside the @dp
 * repository (a workspace root whose `setup` script is scripts/setup.mjs), `npx dp setup-backend` in a project that
 * installed the packages. `gpu` adds the GPU flag in the form each command takes.
 */
export function backendSetupCommand(dir: string, gpu = false): string {
  return repositoryRoot(dir) !== null
    ? `npm run setup${gpu ? ' -- --gpu' : ''}`
    : `npx dp setup-backend${gpu ? ' --gpu' : ''}`;
}

/** The @dp repository's root above `dir`, or null when `dir` is not inside a clone of it. */
export function repositoryRoot(dir: string): string | null {
  // Installed from the registry (node_modules/@dp/...): not the repository, whatever surrounds the project.
  if (dir.split(/[\\/]/).includes('node_modules')) return null;
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && existsSync(join(d, 'scripts', 'setup.mjs'))) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
          workspaces?: unknown;
          scripts?: Record<string, unknown>;
        };
        if (Array.isArray(pkg.workspaces) && String(pkg.scripts?.setup ?? '').includes('scripts/setup.mjs')) return d;
      } catch {
        // an unreadable manifest is not the repository's
      }
    }
    if (dirname(d) === d) return null;
  }
}
