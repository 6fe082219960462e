#!/usr/bin/env node
// `prepack` of every published package (run by npm pack / npm publish in the package's folder): build dist/ with
// tsup, then ship the repository's LICENSE. DP_PACK_PREBUILT=1 skips the build when the caller has just built every
// package (the packed-tarball test runs after `npm test`'s `turbo run build`); dist/ must then exist.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = process.cwd();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.DP_PACK_PREBUILT === '1') {
  if (!existsSync(join(pkgDir, 'dist'))) {
    console.error(
      `prepack: error: DP_PACK_PREBUILT=1 but ${join(pkgDir, 'dist')} does not exist; fix: run \`npx turbo run build\` first, or unset DP_PACK_PREBUILT`,
    );
    process.exit(1);
  }
} else {
  const r = spawnSync('npx', ['tsup'], { cwd: pkgDir, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
copyFileSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
