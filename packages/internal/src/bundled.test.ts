// @dp/internal is never published: each package's build must carry its own copy of the shared source. This test
// reads every built file for a leftover reference, then loads the packages from a project whose node_modules holds
// copies of their dist/ and package.json only (no @dp/internal anywhere on the resolution path, unlike a symlink into
// this repository), with import() and with require(), and checks that the errors of every package (and of two copies
// of one package) recognise each other by their brand. Needs the built dist/ (`npm run build`, as `npm test` does).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The packages that bundle @dp/internal, with one error each builds: `new <Class>(<args>)`. */
const PACKAGES: Record<string, string> = {
  policies: "new m.PrunerError('k', -1, 'an integer >= 0')",
  data: "new m.DataError('no file', 'download it')",
  models: "new m.ModelError('unknown model', 'use cnn-small')",
  scores: "new m.ScoreError('bad score', 'use loss', 'score')",
  trainer: "new m.TrainError('diverged', 'lower the learning rate')",
  distributed: "new m.DistributedError('worker 1 is down', 'restart every worker')",
};

let project: string;

beforeAll(() => {
  const missing = Object.keys(PACKAGES).filter((p) => !existsSync(join(repo, 'packages', p, 'dist', 'index.cjs')));
  if (missing.length) throw new Error(`no build of ${missing.join(', ')}: run \`npm run build\` first`);
  project = mkdtempSync(join(tmpdir(), 'dp-bundled-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const copy = (p: string, as: string) => {
    const to = join(project, 'node_modules', as);
    mkdirSync(to, { recursive: true });
    cpSync(join(repo, 'packages', p, 'dist'), join(to, 'dist'), { recursive: true });
    cpSync(join(repo, 'packages', p, 'package.json'), join(to, 'package.json'));
  };
  for (const p of Object.keys(PACKAGES)) copy(p, `@dp/${p}`);
  copy('policies', 'policies-second-copy');
  symlinkSync(join(repo, 'node_modules', '@tensorflow'), join(project, 'node_modules', '@tensorflow'), 'dir');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the shared source is bundled into each package', () => {
  it.each(Object.keys(PACKAGES))('@dp/%s: no built file refers to @dp/internal', (p) => {
    const dist = join(repo, 'packages', p, 'dist');
    const files = readdirSync(dist).filter((f) => /\.(c?js|d\.c?ts)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(dist, f), 'utf8'), f).not.toContain('@dp/internal');
  });

  it.each(['cjs', 'mjs'])(
    'loads without @dp/internal and recognises every error across packages and copies (%s)',
    (kind) => {
      const load = kind === 'cjs' ? 'require' : 'await import';
      const body = `
      const mods = {};
      ${Object.keys(PACKAGES)
        .map((p) => `mods[${JSON.stringify(p)}] = ${load}('@dp/${p}');`)
        .join('\n')}
      const second = ${load}('policies-second-copy');
      const made = {};
      ${Object.entries(PACKAGES)
        .map(([p, make]) => `{ const m = mods[${JSON.stringify(p)}]; made[${JSON.stringify(p)}] = ${make}; }`)
        .join('\n')}
      const out = {};
      for (const [p, e] of Object.entries(made)) {
        out[p] = {
          everyPackageSeesIt: Object.values(mods).every((m) => m.isDpError(e) && m.DpError.isInstance(e)),
          message: e.message,
          fix: e.fix,
        };
      }
      const pe = made.policies;
      out.copies = { instanceofSecond: pe instanceof second.PrunerError, isInstanceSecond: second.PrunerError.isInstance(pe), dataIsNotPruner: second.PrunerError.isInstance(made.data) };
      return out;`;
      const file = join(project, `check.${kind}`);
      writeFileSync(
        file,
        kind === 'cjs'
          ? `(async () => {${body}})().then((r) => process.stdout.write(JSON.stringify(r)));`
          : `const r = await (async () => {${body}})();\nprocess.stdout.write(JSON.stringify(r));`,
      );
      const out = JSON.parse(
        execFileSync(process.execPath, [file], {
          cwd: project,
          encoding: 'utf8',
          env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
          timeout: 120_000,
        }),
      ) as Record<string, any>;
      for (const p of Object.keys(PACKAGES)) {
        expect(out[p].everyPackageSeesIt, p).toBe(true);
        expect(out[p].message, p).toMatch(/; fix: ./);
      }
      expect(out.policies.message).toBe('k = -1 is invalid: expected an integer >= 0; fix: give k an integer >= 0');
      expect(out.copies).toEqual({ instanceofSecond: false, isInstanceSecond: true, dataIsNotPruner: false });
    },
  );

  it('@dp/policies/testing loads without fast-check, and running the suite without it says how to install it', () => {
    const file = join(project, 'suite.mjs');
    writeFileSync(
      file,
      `const { runPolicySuite } = await import('@dp/policies/testing');
      const tests = [];
      runPolicySuite('random', { describe: (_n, f) => f(), it: (n, f) => tests.push(f), expect: () => ({}) });
      const e = await tests[0]().then(() => undefined, (e) => e);
      process.stdout.write(JSON.stringify({ tests: tests.length, message: e?.message, branded: e?.[Symbol.for('dp.error')] === true }));`,
    );
    const out = JSON.parse(
      execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8', timeout: 60_000 }),
    ) as Record<string, unknown>;
    expect(out).toEqual({
      tests: 5,
      message: expect.stringMatching(/needs fast-check.*; fix: npm install --save-dev fast-check$/),
      branded: true,
    });
  });
});
