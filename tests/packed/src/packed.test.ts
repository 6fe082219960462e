// The three ways people use @dp, checked from the packed tarballs in projects outside the repository (os.tmpdir()),
// installed with `npm install --offline` (tarballs for @dp, npm's cache for the rest, pinned by a lockfile derived
// from the repository's), as README.md's "Three ways to use it" tells an outside user.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pack, tarballOf, type Tarball } from './pack.js';
import { install, sh, type Installer } from './scratch.js';
import { publicWorkspaces, workspaces, type Manifest } from './workspaces.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const fixtures = join(here, '..', 'fixtures');
const CHROMIUM = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// tfjs-node's own install script must fail fast, as it does without access to Google storage: an unreachable mirror.
const NO_GOOGLE = { TFJS_NODE_CDN_STORAGE: 'http://127.0.0.1:9/' };

const scratch = mkdtempSync(join(tmpdir(), 'dp-packed-'));
const using: Installer = {
  root,
  tarballs: new Map<string, Tarball>(),
  workspaceNames: new Map(workspaces(root).map((w) => [w.rel, w.manifest.name])),
};

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('the packed packages, outside the repository', () => {
  beforeAll(() => {
    const out = project('tarballs');
    // Every public workspace package (packages/*, apps/*, not private): what a release publishes.
    for (const w of publicWorkspaces(root))
      using.tarballs.set(w.manifest.name, pack(w, out, { ...process.env, DP_PACK_PREBUILT: '1' }));
  });

  it('every public package packs its build, README and LICENSE, and no sources or tests', () => {
    expect([...using.tarballs.keys()]).toEqual(
      expect.arrayContaining(['@dp/policies', '@dp/scores', '@dp/cli', '@dp/setup-backend']),
    );
    for (const t of using.tarballs.values()) {
      expect(t.files, t.name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
      expect(
        t.files.some((f) => f.startsWith('dist/')),
        t.name,
      ).toBe(true);
      expect(
        t.files.filter((f) => f.startsWith('src/') || /\.test\.[cm]?[jt]s$/.test(f)),
        t.name,
      ).toEqual([]);
      for (const [dep, range] of Object.entries(t.manifest.dependencies ?? {}))
        if (dep.startsWith('@dp/')) expect(range, `${t.name} -> ${dep}`).toMatch(/^\^/);
    }
    // The manifest npm publishes as is (`npm publish` drops a bin path it has to correct, such as './bin/dp.mjs').
    expect(using.tarballs.get('@dp/cli')!.manifest.bin).toEqual({ dp: 'bin/dp.mjs' });
    expect(using.tarballs.get('@dp/setup-backend')!.manifest.bin).toEqual({ 'dp-setup-backend': 'dist/cli.js' });
  });

  describe('1. only @dp/policies, in a hand-written loop', () => {
    let dir = '';
    let node = '';
    beforeAll(() => {
      dir = project('policies-user');
      cpSync(join(fixtures, 'policies'), dir, { recursive: true });
      install(
        dir,
        { name: 'policies-user', private: true, type: 'commonjs', dependencies: { '@dp/policies': '^0.1.0' } },
        using,
      );
      const r = sh(process.execPath, ['esm.mjs'], dir);
      expect(r.stderr).toBe('');
      node = r.stdout.trim();
    });

    it('installs nothing but @dp/policies (zero dependencies)', () => {
      expect(readdirSync(join(dir, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['@dp']);
      expect(readdirSync(join(dir, 'node_modules', '@dp'))).toEqual(['policies']);
    });

    it('ES module and CommonJS give the same selections', () => {
      expect(Object.keys(JSON.parse(node) as object)).toEqual(['random', 'ucb', 'infobatch', 'repb']);
      const cjs = sh(process.execPath, ['cjs.cjs'], dir);
      expect(cjs.status, cjs.stderr).toBe(0);
      expect(cjs.stdout.trim()).toBe(node);
    });

    it('a strict TypeScript file compiles with node16 and with bundler resolution, and runs the same', () => {
      const node16 = sh(process.execPath, [TSC, '-p', 'tsconfig.node16.json'], dir);
      expect(node16.status, node16.stdout).toBe(0);
      const ran = sh(process.execPath, [join('out-node16', 'strict.js')], dir);
      expect(ran.stdout.trim()).toBe(node);
      const bundler = sh(process.execPath, [TSC, '-p', 'tsconfig.bundler.json', '--noEmit'], dir);
      expect(bundler.status, bundler.stdout).toBe(0);
    });

    it.skipIf(!existsSync(CHROMIUM))(
      'a browser bundle run in headless Chromium gives the same selections',
      async () => {
        const bundle = await build({
          entryPoints: [join(dir, 'browser.mjs')],
          bundle: true,
          platform: 'browser',
          format: 'iife',
          write: false,
          absWorkingDir: dir,
          logLevel: 'silent',
        });
        const code = bundle.outputFiles[0]!.text;
        expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
        });
        try {
          const page = await browser.newPage();
          await page.setContent('<!doctype html><title>policies</title>');
          await page.addScriptTag({ content: code });
          expect(await page.evaluate(() => (globalThis as { __selections?: string }).__selections)).toBe(node);
        } finally {
          await browser.close();
        }
      },
    );
  });

  describe('3. a scoring plug-in written outside the repository', () => {
    let dir = '';
    beforeAll(() => {
      dir = project('score-entropy');
      cpSync(join(fixtures, 'score-plugin'), dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        devDependencies: Record<string, string>;
      };
      install(dir, manifest, using);
    });

    it('passes the shared suite on its own source (its devDependencies: @dp/scores, fast-check, vitest)', () => {
      const r = sh('npx', ['vitest', 'run'], dir, { CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
      const out = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
      expect(r.status, `${out}\n${r.stderr}`).toBe(0);
      expect(out).toMatch(/src\/index\.test\.ts/);
      expect(out).toMatch(/Tests\s+\d+ passed/);
      expect(out).not.toMatch(/failed/);
    });

    it('builds and packs', () => {
      const r = sh('npm', ['pack', '--pack-destination', join(scratch, 'tarballs'), '--json'], dir);
      expect(r.status, r.stderr).toBe(0);
      const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string }[];
      const file = join(scratch, 'tarballs', info!.filename);
      using.tarballs.set(
        '@example/score-entropy',
        tarballOf(file, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest, []),
      );
    });
  });

  describe('2. the packed CLI, with the plug-in loaded by name', () => {
    let dir = '';
    const dp = (...args: string[]) => sh('npx', ['dp', ...args], dir, NO_GOOGLE);
    beforeAll(() => {
      dir = project('cli-user');
      install(
        dir,
        { name: 'cli-user', private: true, dependencies: { '@dp/cli': '^0.1.0', '@example/score-entropy': '^1.0.0' } },
        using,
      );
    });

    it('before the backend is set up, dp doctor fails with the command that fits an installed package', () => {
      const r = dp('doctor');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/FAIL: training would run on the pure-JS 'cpu' backend/);
      expect(r.stdout).toContain('fix: run `npx dp setup-backend`.');
      expect(r.stdout + r.stderr).not.toMatch(/npm run setup|--allow-cpu was given/);
      const t = dp('train', '--epochs', '1');
      expect(t.status).toBe(2);
      expect(t.stderr).toMatch(/fix: run `npx dp setup-backend`, or pass --allow-cpu/);
    });

    it('dp setup-backend builds the native backend and the @dp/distributed addon offline; a second run rebuilds nothing', () => {
      const r = dp('setup-backend');
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/its install script did not give a working binding/);
      expect(r.stdout).toMatch(/built against libtensorflow from tensorflow-cpu==/);
      // The addon, with node-gyp, against the same libtensorflow: the one staged in this project's tfjs-node.
      const tfjsDeps = join(dir, 'node_modules', '@tensorflow', 'tfjs-node', 'deps');
      expect(r.stdout).toContain(`@dp/distributed addon built against the libtensorflow in ${tfjsDeps}`);
      expect(r.stderr).not.toMatch(/warning/);
      expect(
        existsSync(join(dir, 'node_modules', '@dp', 'distributed', 'native', 'build', 'Release', 'dp_collective.node')),
      ).toBe(true);
      const again = dp('setup-backend');
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(/already loads its native binding: nothing rebuilt/);
      expect(again.stdout).toMatch(/@dp\/distributed addon already built/);
    });

    it('dp doctor reports the native backend and the distributed addon', () => {
      const r = dp('doctor');
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/^backend\s+tensorflow$/m);
      expect(r.stdout).toMatch(/^distributed\s+addon loads \(TensorFlow [\d.]+ collectives\)/m);
      expect(r.stdout).toContain('OK: training runs on the native TensorFlow backend.');
    });

    it('dp launch --workers 2 -- dp train: two data-parallel workers on loopback', () => {
      const out = join(dir, 'runs', 'dp2');
      const r = dp(
        'launch',
        '--workers',
        '2',
        '--',
        'dp',
        'train',
        '--model',
        'mlp',
        '--epochs',
        '1',
        '--train-subset',
        '256',
        '--test-subset',
        '128',
        '--batch-size',
        '64',
        '--startup-timeout',
        '120',
        '--out',
        out,
      );
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^\[0\] worker 0 of 2 joined the cluster$/m);
      expect(r.stdout).toMatch(/^\[1\] worker 1 of 2 joined the cluster$/m);
      const start = JSON.parse(readFileSync(join(out, 'log.jsonl'), 'utf8').split('\n')[0]!) as { workers?: number };
      expect(start.workers).toBe(2);
      expect(existsSync(join(out, 'result.json'))).toBe(true);
    });

    it('dp compare --help', () => {
      const r = dp('compare', '--help');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: dp compare/);
    });

    it('a tiny dp train', () => {
      const out = join(dir, 'runs', 'tiny');
      const r = dp(
        'train',
        '--policy',
        'random',
        '--prune-ratio',
        '0.5',
        '--epochs',
        '1',
        '--train-subset',
        '256',
        '--test-subset',
        '128',
        '--out',
        out,
      );
      expect(r.status, r.stderr).toBe(0);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { backend?: unknown };
      expect(JSON.stringify(result)).toContain('tensorflow');
    });

    it('dp score loads the outside plug-in by name and scores with it (logits only)', () => {
      const file = join(dir, 'entropy.dpscore');
      const r = dp(
        'score',
        '--score',
        '@example/score-entropy',
        '--method',
        'entropy',
        '--epochs',
        '1',
        '--runs',
        '1',
        '--train-subset',
        '256',
        '--out',
        file,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(file)).toBe(true);
    });

    it("dp train keeps the plug-in's top-scored half (--policy static --score-file)", () => {
      const out = join(dir, 'runs', 'static-entropy');
      const r = dp(
        'train',
        '--policy',
        'static',
        '--score-file',
        join(dir, 'entropy.dpscore'),
        '--prune-ratio',
        '0.5',
        '--epochs',
        '1',
        '--train-subset',
        '256',
        '--test-subset',
        '128',
        '--out',
        out,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/policy static/);
      expect(readFileSync(join(out, 'config.json'), 'utf8')).toContain('entropy.dpscore');
    });
  });
});
