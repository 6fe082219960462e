// Loads the fused-kernel and compiled-inference modules of @dp/models for the benchmark: from the built package when its entry exports it,
// else bundled on the fly from packages/models/src/{fused,graph} (esbuild, the tsup toolchain's bundler) into
// node_modules/.cache, so the benchmark always measures the source in the tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadFused({ fromSource = true } = {}) {
  if (!fromSource) {
    try {
      const pkg = await import('@dp/models');
      if (typeof pkg.fusedBatchNormalization === 'function' && typeof pkg.compileInference === 'function') return pkg;
    } catch {
      /* fall through to the source */
    }
  }
  const outDir = join(root, 'node_modules', '.cache', 'dp-bench-speed');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'fused.mjs');
  // The fused kernels and the compiled-inference graph (packages/models/src/{fused,graph}), nothing else of the package.
  const entry = join(outDir, 'entry.ts');
  writeFileSync(
    entry,
    ['fused', 'graph']
      .map((m) => `export * from ${JSON.stringify(join(root, `packages/models/src/${m}/index.ts`))};\n`)
      .join(''),
  );
  execFileSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      entry,
      '--bundle',
      '--format=esm',
      '--platform=node',
      '--target=es2022',
      '--external:@tensorflow/*',
      `--outfile=${out}`,
      '--log-level=warning',
    ],
    { stdio: 'inherit' },
  );
  return import(`${pathToFileURL(out).href}?t=${Date.now()}`);
}
