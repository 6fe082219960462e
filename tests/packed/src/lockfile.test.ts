import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forThisPlatform, scratchLockfile, type LockEntry } from './lockfile.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

describe('scratchLockfile', () => {
  it("keeps the repository's layout for third-party packages and leaves out other platforms' optional binaries", () => {
    const repo = {
      packages: {
        'node_modules/a': {
          version: '1.0.0',
          integrity: 'sha512-a',
          dependencies: { b: '^2' },
          optionalDependencies: { 'bin-linux': '1', 'bin-mac': '1' },
        },
        'node_modules/a/node_modules/b': { version: '2.0.0', integrity: 'sha512-b2' },
        'node_modules/b': { version: '1.0.0', integrity: 'sha512-b1', dev: true },
        'node_modules/bin-linux': {
          version: '1.0.0',
          integrity: 'sha512-l',
          os: [process.platform],
          cpu: [process.arch],
          optional: true,
        },
        'node_modules/bin-mac': { version: '1.0.0', integrity: 'sha512-m', os: ['some-other-os'], optional: true },
      } as Record<string, LockEntry>,
    };
    const lock = scratchLockfile(repo, { name: 'p', dependencies: { a: '^1' } }, new Map(), new Map(), '/tmp/p') as {
      packages: Record<string, LockEntry>;
    };
    expect(Object.keys(lock.packages).sort()).toEqual([
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/bin-linux',
    ]);
    expect(lock.packages['node_modules/a/node_modules/b']!.version).toBe('2.0.0');
  });

  it('fails loudly on a dependency the repository does not hold', () => {
    expect(() =>
      scratchLockfile({ packages: {} }, { name: 'p', dependencies: { nope: '1' } }, new Map(), new Map(), '/tmp/p'),
    ).toThrow(/depends on nope/);
  });

  it("reads npm's os / cpu syntax", () => {
    expect(forThisPlatform({ os: ['linux'], cpu: ['x64'] }, 'linux', 'x64')).toBe(true);
    expect(forThisPlatform({ os: ['darwin'] }, 'linux', 'x64')).toBe(false);
    expect(forThisPlatform({ os: ['!win32'] }, 'linux', 'x64')).toBe(true);
    expect(forThisPlatform({ os: ['!linux'] }, 'linux', 'x64')).toBe(false);
    expect(forThisPlatform({}, 'linux', 'x64')).toBe(true);
  });

  it("on this repository's lockfile: vitest's closure has no other platform's binaries", () => {
    const repo = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const lock = scratchLockfile(
      repo,
      { name: 'p', devDependencies: { vitest: '^4', typescript: '~5.9.3', 'fast-check': '^4' } },
      new Map(),
      new Map(),
      '/tmp/p',
    ) as { packages: Record<string, LockEntry> };
    const entries = Object.entries(lock.packages).filter(([k]) => k !== '');
    expect(entries.length).toBeGreaterThan(10);
    for (const [k, e] of entries) expect(forThisPlatform(e), k).toBe(true);
  });
});
