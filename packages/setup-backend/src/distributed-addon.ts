import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SetupError } from './errors.js';
import { run } from './exec.js';
import type { TfjsNodeLocation } from './locate.js';

/** What became of @dp/distributed's native addon (multi-worker training: `dp launch`, TF_CONFIG workers). */
export type AddonOutcome = { ok: true; summary: string } | { ok: false; error: SetupError };

/**
 * Build @dp/distributed's native addon against the libtensorflow and headers of the tfjs-node binding at `tfjs`
 * (its deps/ folder, which the set-up has just made work), with the build script the package ships
 * (`scripts/build.mjs`: node-gyp, idempotent). Null when @dp/distributed is not installed where `from` resolves
 * packages (someone who installed only tfjs-node and this package). Never throws for a failed build: one-process
 * training does not need the addon, so the failure is returned as a SetupError naming the fix.
 */
export function buildDistributedAddon(
  from: string,
  tfjs: TfjsNodeLocation,
  env: NodeJS.ProcessEnv,
): AddonOutcome | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(from, 'noop.js')).resolve('@dp/distributed/package.json'));
  } catch {
    return null;
  }
  const script = join(pkgDir, 'scripts', 'build.mjs');
  if (!existsSync(script))
    return {
      ok: false,
      error: new SetupError(
        `@dp/distributed in ${pkgDir} has no scripts/build.mjs to build its native addon with`,
        'install @dp/distributed 0.1.0 or later (npm install @dp/distributed), then run this command again',
        'distributed',
      ),
    };
  const r = run(process.execPath, [script, '--tfjs-dir', tfjs.dir], tfjs.project, env);
  if (r.ok) {
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    return { ok: true, summary: `@dp/distributed ${line.replace(/^\[dp\/distributed\] /, '')}` };
  }
  return { ok: false, error: addonError(r.out) };
}

/** The SetupError for the build script's failure output (`[dp/distributed] error: PROBLEM; fix: FIX`). */
export function addonError(out: string): SetupError {
  const text = out
    .slice(Math.max(0, out.indexOf('[dp/distributed] error: ')))
    .replace(/^\[dp\/distributed\] error: /, '');
  const at = text.search(/[;\n] ?fix: /);
  const problem = (at >= 0 ? text.slice(0, at) : text).trim() || 'its build script failed without a message';
  const fix =
    at >= 0
      ? text
          .slice(at)
          .replace(/^[;\n] ?fix: /, '')
          .trim()
      : 'install a C++17 compiler, make and python3 (Debian: apt-get install build-essential python3), then run this command again';
  return new SetupError(
    `the @dp/distributed native addon (multi-worker training: dp launch, TF_CONFIG workers) could not be built; one-process training is unaffected: ${problem}`,
    fix,
    'distributed',
  );
}
