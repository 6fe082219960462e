import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every non-test source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return e === 'testing' ? [] : sources(p);
    return /\.ts$/.test(e) && !/\.test\.ts$|testing\.ts$|test-helpers\.ts$/.test(e) ? [p] : [];
  });
}

describe('packaging of the workspace libraries', () => {
  it('declares every @dp/* package imported at run time as a dependency or peer, so tsup keeps it external', () => {
    // A devDependency gets bundled into dist: the published package would carry its own copy (a second class
    // registry, fixes that never reach it), as @dp/trainer did with @dp/models.
    const problems: string[] = [];
    for (const name of readdirSync(packages)) {
      const pkg = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const external = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
      for (const file of sources(join(packages, name, 'src'))) {
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '(@dp\/[^/']+)/gm)) {
          // @dp/internal is the exception by design: private shared source that every package bundles (its
          // bundled.test.ts checks that no build refers to it).
          if (!external.has(spec!) && spec !== '@dp/internal')
            problems.push(`${name}/${file.slice(file.indexOf('/src/') + 1)} imports ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('exports every entry as an ES module and as CommonJS, each with its own types first (commonjs.test.ts runs them)', () => {
    // `require()` needs a `require` condition (Node: ERR_PACKAGE_PATH_NOT_EXPORTED without one), and TypeScript reads
    // the first matching key, so `types` leads each condition: .d.ts beside the ESM .js, .d.cts beside the .cjs.
    const problems: string[] = [];
    for (const name of readdirSync(packages)) {
      const pkg = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as {
        private?: boolean;
        type?: string;
        main?: string;
        exports: Record<string, unknown>;
        tsup: { format: string[] };
      };
      if (pkg.private) continue; // @dp/internal: never published, no build of its own
      if (pkg.type !== 'module') problems.push(`${name}: "type" is not "module"`);
      if (!(pkg.tsup.format.includes('esm') && pkg.tsup.format.includes('cjs')))
        problems.push(`${name}: tsup format ${JSON.stringify(pkg.tsup.format)}`);
      if (!pkg.main?.endsWith('.cjs')) problems.push(`${name}: main ${pkg.main} is not the CommonJS build`);
      for (const [entry, target] of Object.entries(pkg.exports)) {
        if (entry === './package.json') continue;
        const base = entry === '.' ? 'index' : entry.slice(2);
        const want = {
          import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
          require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
        };
        // JSON.stringify keeps key order, so this also checks that `types` comes first.
        if (JSON.stringify(target) !== JSON.stringify(want))
          problems.push(`${name} exports["${entry}"] = ${JSON.stringify(target)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds every published package before it is packed (dist/ is not committed) and ships the license', () => {
    const missing: string[] = [];
    for (const name of readdirSync(packages)) {
      const pkg = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as {
        private?: boolean;
        scripts?: Record<string, string>;
      };
      if (pkg.private) continue;
      const prepack = pkg.scripts?.prepack ?? '';
      // Either inline (tsup, then the LICENSE copy) or the shared scripts/prepack.mjs, which does both.
      const shared = prepack === 'node ../../scripts/prepack.mjs';
      if (!shared && (!/\btsup\b/.test(prepack) || !/LICENSE/.test(prepack)))
        missing.push(`${name}: prepack = ${JSON.stringify(prepack)}`);
    }
    expect(missing).toEqual([]);
    const script = readFileSync(join(packages, '..', 'scripts', 'prepack.mjs'), 'utf8');
    expect(script).toMatch(/\btsup\b/);
    expect(script).toMatch(/LICENSE/);
    expect(readFileSync(join(packages, '..', 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });
});
