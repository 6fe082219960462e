import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

describe('@dp/scores in a browser bundle', () => {
  it('the main entry bundles for the browser: no Node built-ins (score files on disk live in @dp/scores/node)', async () => {
    const r = await build({
      entryPoints: [entry('index')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(r.errors).toEqual([]);
    const code = r.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|import\(["']node:|require\(["']node:/);
    expect(code).toContain('encodeScoreFile');
  });

  it('the Node-only entry is what a browser bundle cannot take', async () => {
    await expect(
      build({
        entryPoints: [entry('node')],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:fs\/promises|node:path/);
  });
});
