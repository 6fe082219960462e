#!/usr/bin/env node
// Builds @dp/distributed's native addon (native/collective.cc) with node-gyp against the SAME libtensorflow and C API
// headers as the @tensorflow/tfjs-node binding (its deps/ folder, which `npm run setup` fills), so that both addons
// share one TensorFlow in a process. Idempotent: an addon newer than its sources that loads is kept.
//
//   node packages/distributed/scripts/build.mjs          build (or check) and print what was done; exit 1 on failure
//   import { setupDistributed } from '.../build.mjs'     the set-up's step (scripts/setup.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(pkgDir, 'native');
export const ADDON = join(nativeDir, 'build', 'Release', 'dp_collective.node');
// Which libtensorflow the addon was linked against (a switch to tfjs-node-gpu's must rebuild it).
const BUILT_AGAINST = join(nativeDir, 'build', 'tensorflow-dir.txt');
const SOURCES = ['collective.cc', 'binding.gyp'].map((f) => join(nativeDir, f));
// The C API the addon calls; missing from a libtensorflow older than 2.4.
const SYMBOLS = ['TFE_EnableCollectiveOps', 'TFE_CollectiveOpsCheckPeerHealth', 'TFE_AbortCollectiveOps'];

/** The tfjs-node deps/ folder: include/tensorflow/c and lib/libtensorflow*.so. */
function tensorflowDir(tfjsPkg) {
  let tfjsDir;
  try {
    tfjsDir = dirname(createRequire(join(pkgDir, 'package.json')).resolve(`${tfjsPkg}/package.json`));
  } catch {
    throw new Error(`${tfjsPkg} is not installed; fix: run \`npm run setup\``);
  }
  const dir = join(tfjsDir, 'deps');
  const header = join(dir, 'include', 'tensorflow', 'c', 'c_api_experimental.h');
  const lib = join(dir, 'lib', process.platform === 'darwin' ? 'libtensorflow.dylib' : 'libtensorflow.so');
  for (const f of [header, lib]) {
    if (!existsSync(f))
      throw new Error(
        `${f} does not exist (the tfjs-node binding has no libtensorflow to share); fix: run \`npm run setup\` so that it builds the native backend first`,
      );
  }
  const text = readFileSync(header, 'utf8');
  const missing = SYMBOLS.filter((s) => !text.includes(s));
  if (missing.length)
    throw new Error(
      `${header} lacks ${missing.join(', ')} (libtensorflow too old for collective ops); fix: run \`npm run setup\` with the offline route (DP_TF_WHEEL=tensorflow-cpu==2.21.0)`,
    );
  return dir;
}

/** node-gyp: npm's own copy (npm runs scripts with it), else one on PATH. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(dirname(process.execPath)),
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  const script = candidates.find((c) => c && existsSync(c));
  if (script) return [process.execPath, script];
  if (spawnSync('node-gyp', ['--version'], { encoding: 'utf8' }).status === 0) return ['node-gyp'];
  throw new Error('node-gyp not found (npm ships one); fix: install npm with Node.js, or `npm install -g node-gyp`');
}

/** This Node's headers when installed beside it (Debian's nodejs ships them): node-gyp then needs no download. */
function localNodedir() {
  if (process.env.npm_config_nodedir) return {};
  const prefix = dirname(dirname(process.execPath));
  const version = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(join(prefix, 'include', 'node', 'node_api.h')) || !existsSync(version)) return {};
  const defines = Object.fromEntries(
    [...readFileSync(version, 'utf8').matchAll(/#define NODE_(MAJOR|MINOR|PATCH)_VERSION (\d+)/g)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  return `v${defines.MAJOR}.${defines.MINOR}.${defines.PATCH}` === process.version
    ? { npm_config_nodedir: prefix }
    : {};
}

/** null when the addon loads with every symbol bound now (RTLD_NOW), else the loader's message. */
function loadError() {
  const probe = `const os=require('os');const m={exports:{}};process.dlopen(m,${JSON.stringify(ADDON)},os.constants.dlopen.RTLD_NOW);process.stdout.write(m.exports.tfVersion())`;
  const r = spawnSync(process.execPath, ['-e', probe], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  return r.status === 0
    ? null
    : (r.stderr.split('\n').find((l) => /Error|error/.test(l)) ?? r.stderr.trim()).slice(0, 400);
}

const upToDate = (tfDir) =>
  existsSync(ADDON) &&
  existsSync(BUILT_AGAINST) &&
  readFileSync(BUILT_AGAINST, 'utf8') === tfDir &&
  SOURCES.every((s) => statSync(s).mtimeMs <= statSync(ADDON).mtimeMs);

/**
 * Builds the addon unless an up-to-date one loads. Returns what was done; throws an Error whose message ends with
 * the fix.
 */
export function buildDistributedAddon({ tfjsPkg = '@tensorflow/tfjs-node', quiet = true } = {}) {
  const tfDir = tensorflowDir(tfjsPkg);
  if (upToDate(tfDir) && !loadError()) return `already built (${ADDON})`;
  const [cmd, ...pre] = nodeGyp();
  const r = spawnSync(cmd, [...pre, 'rebuild', '--directory', nativeDir], {
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
    env: { ...process.env, ...localNodedir(), DP_TF_DIR: tfDir },
  });
  if (r.status !== 0) {
    const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`
      .split('\n')
      .filter((l) => /error|ERR!/i.test(l))
      .slice(0, 8)
      .join('\n');
    throw new Error(
      `node-gyp could not build ${nativeDir}:\n${lines}\nfix: install a C++17 compiler, make and python3 (Debian: apt-get install build-essential python3), then run \`node packages/distributed/scripts/build.mjs\``,
    );
  }
  const err = loadError();
  if (!err) writeFileSync(BUILT_AGAINST, tfDir);
  if (err)
    throw new Error(
      `the addon built but does not load: ${err}; fix: run \`npm run setup\` again (libtensorflow in ${tfDir}/lib must export ${SYMBOLS.join(', ')})`,
    );
  return `built against the libtensorflow in ${tfDir}`;
}

/** The set-up's step: report through its done/warn; never fails the set-up (multi-worker training needs it, nothing else). */
export function setupDistributed({ tfjsPkg, nativeReady, done, warn }) {
  if (!nativeReady) {
    done('distributed', 'addon not built: no native TensorFlow backend to build it against');
    return;
  }
  try {
    done('distributed', `@dp/distributed addon ${buildDistributedAddon({ tfjsPkg })}`);
  } catch (e) {
    warn([`The @dp/distributed addon (multi-worker training) could not be built:`, ...e.message.split('\n')]);
    done('distributed', 'addon NOT AVAILABLE (see warning above): multi-worker training will refuse to start');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`[dp/distributed] addon ${buildDistributedAddon({ quiet: false })}`);
  } catch (e) {
    console.error(`[dp/distributed] error: ${e.message}`);
    process.exit(1);
  }
}
