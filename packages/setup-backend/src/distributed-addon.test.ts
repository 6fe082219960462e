import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addonError, buildDistributedAddon } from './distributed-addon.js';
import { SetupError } from './errors.js';
import { locateTfjsNode } from './locate.js';

/** The repository's @dp/distributed: its build script and addon sources are copied into scratch projects. */
const DISTRIBUTED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'distributed');
const scratch = mkdtempSync(join(tmpdir(), 'dp-addon-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project outside the repository with @dp/distributed's shipped files in node_modules, as npm installs them. */
function projectWithDistributed(name: string): string {
  const dir = join(scratch, name);
  const pkg = join(dir, 'node_modules', '@dp', 'distributed');
  mkdirSync(join(pkg, 'native'), { recursive: true });
  for (const f of ['package.json', 'scripts/build.mjs', 'native/binding.gyp', 'native/collective.cc'])
    cpSync(join(DISTRIBUTED, f), join(pkg, f), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"x","private":true}\n');
  return dir;
}

describe('buildDistributedAddon', () => {
  it('is null where @dp/distributed is not installed (only tfjs-node and the set-up)', () => {
    const dir = join(scratch, 'none');
    mkdirSync(dir, { recursive: true });
    expect(buildDistributedAddon(dir, { pkg: 'x', dir, project: dir }, process.env)).toBeNull();
  });

  it('where the tfjs-node binding has no libtensorflow, says so and names the installed set-up command', () => {
    const dir = projectWithDistributed('no-deps');
    const tfjs = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(tfjs, { recursive: true });
    const r = buildDistributedAddon(dir, { pkg: '@tensorflow/tfjs-node', dir: tfjs, project: dir }, process.env);
    expect(r?.ok).toBe(false);
    const e = (r as { error: SetupError }).error;
    expect(e).toBeInstanceOf(SetupError);
    expect(e.field).toBe('distributed');
    expect(e.message).toMatch(
      /one-process training is unaffected: .*deps\/include\/tensorflow\/c\/c_api_experimental\.h does not exist/,
    );
    expect(e.fix).toMatch(/^run `npx dp setup-backend` so that it builds the native backend first/);
  });

  it('without a C++ compiler, node-gyp fails and the error names the compiler to install', () => {
    const dir = projectWithDistributed('no-compiler');
    const tfjs = locateTfjsNode('@tensorflow/tfjs-node', process.cwd())!;
    const env = { ...process.env, CXX: join(scratch, 'no-such-g++'), CC: join(scratch, 'no-such-gcc') };
    const r = buildDistributedAddon(dir, tfjs, env);
    expect(r?.ok).toBe(false);
    const e = (r as { error: SetupError }).error;
    expect(e.message).toMatch(/node-gyp could not build .*node_modules\/@dp\/distributed\/native/);
    expect(e.fix).toMatch(/^install a C\+\+17 compiler, make and python3 .*then run `npx dp setup-backend`$/);
  });
});

describe('addonError', () => {
  it("splits the build script's one line into the problem and the fix", () => {
    const e = addonError('[dp/distributed] error: node-gyp could not build X:\ngyp ERR! a\nfix: install a compiler\n');
    expect(e.message).toMatch(
      /could not be built; one-process training is unaffected: node-gyp could not build X:\ngyp ERR! a; fix: install a compiler$/,
    );
    expect(e.fix).toBe('install a compiler');
    const crash = addonError('Segmentation fault');
    expect(crash.message).toMatch(/: Segmentation fault; fix: install a C\+\+17 compiler/);
  });
});
