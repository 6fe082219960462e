import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ScoreError } from './errors.js';
import { loadScorePlugin } from './plugin.js';
import { getScore, scoreNames } from './registry.js';

const fixture = (name: string) => new URL(`../test-fixtures/${name}.mjs`, import.meta.url).href;

describe('loadScorePlugin', () => {
  it('imports, validates and registers a plug-in (idempotently)', async () => {
    const s = await loadScorePlugin(fixture('constant'));
    expect(s.name).toBe('fixture-constant');
    expect(scoreNames()).toContain('fixture-constant');
    expect(getScore('fixture-constant')).toBe(s);
    expect(await loadScorePlugin(fixture('constant'))).toBe(s);
    const t = s.create(3);
    t.update({ ids: [1], losses: [0] });
    expect(Array.from(t.values())).toEqual([0, 1, 0]);
  });

  it('says a missing package is not installed and how to install it', async () => {
    await expect(loadScorePlugin('@dp/score-does-not-exist')).rejects.toThrow(ScoreError);
    await expect(loadScorePlugin('@dp/score-does-not-exist')).rejects.toThrow(
      /score plug-in '@dp\/score-does-not-exist' is not installed .*; fix: npm install @dp\/score-does-not-exist/,
    );
  });

  describe('in an app with its own node_modules', () => {
    let app = '';
    afterAll(() => rm(app, { recursive: true, force: true }));
    /** An app directory with node_modules/dp-plugin-broken, whose index imports a package that is not installed. */
    async function appImporter(): Promise<(s: string) => Promise<unknown>> {
      app = await mkdtemp(join(tmpdir(), 'dp-plugin-app-'));
      const pkg = join(app, 'node_modules', 'dp-plugin-broken');
      await mkdir(pkg, { recursive: true });
      await writeFile(
        join(pkg, 'package.json'),
        JSON.stringify({ name: 'dp-plugin-broken', version: '1.0.0', type: 'module', exports: './index.js' }),
      );
      await writeFile(join(pkg, 'index.js'), "import 'dp-missing-dependency';\nexport default {};\n");
      // The app's own importer, as `dp` passes it: resolves bare specifiers from the app's node_modules.
      await writeFile(join(app, 'load.mjs'), 'export default (s) => import(s);\n');
      return (
        (await import(/* @vite-ignore */ pathToFileURL(join(app, 'load.mjs')).href)) as {
          default: (s: string) => Promise<unknown>;
        }
      ).default;
    }

    it('says a plug-in whose own dependency is missing failed to load (naming the dependency), not that it is not installed', async () => {
      const importer = await appImporter();
      const load = loadScorePlugin('dp-plugin-broken', { importer });
      await expect(load).rejects.toThrow(ScoreError);
      await expect(loadScorePlugin('dp-plugin-broken', { importer })).rejects.toThrow(
        /^score plug-in 'dp-plugin-broken' failed to load: Cannot find package 'dp-missing-dependency' imported from .*dp-plugin-broken.*; fix: /,
      );
      await expect(loadScorePlugin('dp-plugin-broken', { importer })).rejects.not.toThrow(/not installed/);
      // The same importer still says a plug-in that is itself missing is not installed.
      await expect(loadScorePlugin('dp-plugin-absent', { importer })).rejects.toThrow(
        /^score plug-in 'dp-plugin-absent' is not installed \(Cannot find package 'dp-plugin-absent' .*\); fix: npm install dp-plugin-absent$/,
      );
      await expect(loadScorePlugin('dp-plugin-absent/extra', { importer })).rejects.toThrow(
        /^score plug-in 'dp-plugin-absent\/extra' is not installed .*; fix: npm install dp-plugin-absent$/,
      );
    });
  });

  it('refuses malformed plug-ins with one clear error each', async () => {
    await expect(loadScorePlugin(fixture('no-default'))).rejects.toThrow(
      /has no default export; fix: export the Score object as the module's default export/,
    );
    await expect(loadScorePlugin(fixture('malformed'))).rejects.toThrow(
      /is not a valid score: inputs contains "pixels": allowed are logits, labels/,
    );
    await expect(loadScorePlugin(fixture('throws'))).rejects.toThrow(
      /failed to load: plug-in exploded at import time; fix: fix or reinstall/,
    );
    await expect(loadScorePlugin('')).rejects.toThrow(/plug-in = "" is invalid/);
    expect(scoreNames()).not.toContain('malformed');
  });

  it('uses the importer it is given (so apps resolve plug-ins from their own node_modules)', async () => {
    const asked: string[] = [];
    await expect(
      loadScorePlugin('some-plugin', { importer: async (s) => (asked.push(s), { default: { name: 'x' } }) }),
    ).rejects.toThrow(/summary must be a non-empty string/);
    expect(asked).toEqual(['some-plugin']);
  });
});
