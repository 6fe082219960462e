import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendSetupCommand, repositoryRoot } from './fix-command.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('backendSetupCommand', () => {
  it('inside the repository: its set-up script', () => {
    expect(repositoryRoot(here)).toBe(join(here, '..', '..', '..'));
    expect(backendSetupCommand(here)).toBe('npm run setup');
    expect(backendSetupCommand(here, true)).toBe('npm run setup -- --gpu');
  });

  it('in a project that installed the packages: the dp command, even inside a project with its own setup script', () => {
    const project = mkdtempSync(join(tmpdir(), 'dp-fix-'));
    const installed = join(project, 'node_modules', '@dp', 'cli', 'dist');
    mkdirSync(installed, { recursive: true });
    expect(backendSetupCommand(installed)).toBe('npx dp setup-backend');
    expect(backendSetupCommand(installed, true)).toBe('npx dp setup-backend --gpu');
    // A project that looks like the repository around an installed copy is still not the repository.
    mkdirSync(join(project, 'scripts'));
    writeFileSync(join(project, 'scripts', 'setup.mjs'), '');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ workspaces: ['packages/*'], scripts: { setup: 'node scripts/setup.mjs' } }),
    );
    expect(backendSetupCommand(installed)).toBe('npx dp setup-backend');
    expect(repositoryRoot(project)).toBe(project);
    // Without the workspace set-up script it is not the repository.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ scripts: { setup: 'echo' } }));
    expect(repositoryRoot(project)).toBeNull();
  });
});
