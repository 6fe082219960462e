#!/usr/bin/env node
// Builds @dp/distributed's native addon (native/collective.cc) with node-gyp against the SAME libtensorflow and C API
// headers as the @tensorflow/tfjs-node binding (its deps/ folder, which `npm run setup` fills), so that both addons
// share one TensorFlow in a process. Idempotent: an addon newer than its sources that loads is kept.
//
//   node packages/distributed/scripts/build.mjs          build (or check) and print what was done; exit 1 on failure
//   node .../build.mjs --tfjs-dir DIR                    against the tfjs-node installed in DIR (its deps/ folder)
// The set-up runs it (@dp/setup-backend, after the tfjs-node binding works): `npm run setup` in the repository,
// `npx dp setup-backend` in a project that installed the packages, where it ships in node_modules/@dp/distributed.
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
// Installed from a tarball or the registry (node_modules/@dp/distributed): the set-up is `npx dp setup-backend`.
const INSTALLED = pkgDir.split(/[\\/]/).includes('node_modules');
const SETUP = INSTALLED ? 'npx dp setup-backend' : 'npm run setup';
const REBUILD = INSTALLED ? SETUP : 'node packages/distributed/scripts/build.mjs';

/** The tfjs-node deps/ folder (include/tensorflow/c and lib/libtensorflow*.so) of `tfjsDir`, else of the one resolved. */
function tensorflowDir(tfjsPkg, tfjsDir) {
  if (!tfjsDir) {
    try {
      tfjsDir = dirname(createRequire(join(pkgDir, 'package.json')).resolve(`${tfjsPkg}/package.json`));
    } catch {
      throw new Error(`${tfjsPkg} is not installed; fix: run \`${SETUP}\``);
    }
  }
  const dir = join(tfjsDir, 'deps');
  const header = join(dir, 'include', 'tensorflow', 'c', 'c_api_experimental.h');
  const lib = join(dir, 'lib', process.platform === 'darwin' ? 'libtensorflow.dylib' : 'libtensorflow.so');
  for (const f of [header, lib]) {
    if (!existsSync(f))
      throw new Error(
        `${f} does not exist (the tfjs-node binding has no libtensorflow to share); fix: run \`${SETUP}\` so that it builds the native backend first`,
      );
  }
  const text = readFileSync(header, 'utf8');
  const missing = SYMBOLS.filter((s) => !text.includes(s));
  if (missing.length)
    throw new Error(
      `${header} lacks ${missing.join(', ')} (libtensorflow too old for collective ops, such as the 2.9.1 tfjs-node's install script downloads); fix: delete ${dir} and run \`${SETUP}${INSTALLED ? ' --offline' : ''}\` (the offline route: libtensorflow from the tensorflow-cpu==2.21.0 wheel)`,
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
export function buildDistributedAddon({ tfjsPkg = '@tensorflow/tfjs-node', tfjsDir, quiet = true } = {}) {
  const tfDir = tensorflowDir(tfjsPkg, tfjsDir);
  if (upToDate(tfDir) && !loadError()) return `already built (${ADDON})`;
  const [cmd, ...pre] = nodeGyp();
  const nodedir = localNodedir();
  const r = spawnSync(cmd, [...pre, 'rebuild', '--directory', nativeDir], {
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
    env: { ...process.env, ...nodedir, DP_TF_DIR: tfDir },
  });
  if (r.status !== 0) {
    const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`
      .split('\n')
      .filter((l) => /error|ERR!/i.test(l))
      .slice(0, 8)
      .join('\n');
    throw new Error(
      `node-gyp could not build ${nativeDir}:\n${lines}\nfix: install a C++17 compiler, make and python3 (Debian: apt-get install build-essential python3)${process.env.npm_config_nodedir || nodedir.npm_config_nodedir ? '' : ` and Node.js ${process.version}'s headers (none beside this Node, so node-gyp downloads them from nodejs.org: give it access, or install them and set npm_config_nodedir)`}, then run \`${REBUILD}\``,
    );
  }
  const err = loadError();
  if (!err) writeFileSync(BUILT_AGAINST, tfDir);
  if (err)
    throw new Error(
      `the addon built but does not load: ${err}; fix: run \`${SETUP}\` again (libtensorflow in ${tfDir}/lib must export ${SYMBOLS.join(', ')})`,
    );
  return `built against the libtensorflow in ${tfDir}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--tfjs-dir');
  const tfjsDir = at > 0 ? process.argv[at + 1] : undefined;
  try {
    console.log(`[dp/distributed] addon ${buildDistributedAddon({ tfjsDir, quiet: !!tfjsDir })}`);
  } catch (e) {
    console.error(`[dp/distributed] error: ${e.message}`);
    process.exit(1);
  }
}
