#!/usr/bin/env node
// One-command set-up: npm dependencies, the native TensorFlow backend (offline-capable), the default dataset,
// and a build. Idempotent: a second run checks each step and rebuilds nothing that already works.
//
//   npm run setup              CPU (@tensorflow/tfjs-node)
//   npm run setup -- --gpu     also install @tensorflow/tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1 on Linux x64)
//
// Native backend strategy, in order:
//   1. already built and loading -> nothing to do;
//   2. tfjs-node's own install script (downloads libtensorflow 2.9.1 from Google storage: what a user with
//      internet gets);
//   3. offline route: libtensorflow from the `tensorflow-cpu` wheel on the configured pip index
//      (TF_C/TFE_C API in libtensorflow_cc.so.2), linked into tfjs-node's deps/ folder, binding built with node-gyp;
//   4. otherwise a loud warning: training commands then refuse to run unless given --allow-cpu.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, cpSync, renameSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupDistributed } from '../packages/distributed/scripts/build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const GPU = args.has('--gpu') || process.env.DP_TFJS === 'gpu';
const WHEEL_SPEC = process.env.DP_TF_WHEEL ?? 'tensorflow-cpu==2.21.0';
const cache = process.env.DP_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dp');
const t0 = Date.now();
const summary = [];

const say = (msg) => console.log(`[setup] ${msg}`);
const done = (step, what) => {
  summary.push([step, what]);
  say(`${step}: ${what}`);
};
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '', status: r.status };
}
function warn(lines) {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n`);
}

// ---------------------------------------------------------------- 0. node
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[setup] error: Node.js ${process.versions.node} is too old; fix: install Node.js >= 20.19`);
  process.exit(1);
}

// ---------------------------------------------------------------- 1. npm dependencies
// Install scripts are not run here: the only one that matters (tfjs-node's) is handled in step 2, where its
// failure offline can be caught and routed around.
{
  // `npm install` with the committed package-lock.json, not `npm ci`: npm 11's `npm ci` rejects lockfiles that lack
  // other platforms' optional packages (rollup, turbo), which npm 11 itself omits when writing the lockfile.
  const fresh = !existsSync(join(root, 'node_modules', '.package-lock.json'));
  const npmArgs = ['install', '--ignore-scripts', '--no-audit', '--no-fund'];
  say(`npm ${npmArgs.join(' ')}`);
  const r = run('npm', npmArgs);
  if (!r.ok) {
    console.error('[setup] error: npm could not install the dependencies (see above); fix: check access to the npm registry');
    process.exit(1);
  }
  done('dependencies', fresh ? 'installed from package-lock.json' : 'up to date');
}

// ---------------------------------------------------------------- 2. native backend
const tfjsPkg = GPU ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
if (GPU && !existsSync(join(root, 'node_modules', tfjsPkg))) {
  say(`installing ${tfjsPkg} (GPU users: needs CUDA 11.2 and cuDNN 8.1)`);
  if (!run('npm', ['install', '--no-save', '--ignore-scripts', `${tfjsPkg}@4.22.0`]).ok) {
    console.error(`[setup] error: could not install ${tfjsPkg}`);
    process.exit(1);
  }
}
const tfjsDir = join(root, 'node_modules', tfjsPkg);

function nativeLoads() {
  const r = run(process.execPath, ['-e', `const tf=require(${JSON.stringify(tfjsPkg)});process.stdout.write(tf.getBackend()+' '+(tf.backend().binding.TF_Version||''))`], {
    quiet: true,
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  return r.ok && r.stdout.startsWith('tensorflow') ? `backend ${r.stdout.trim().replace(' ', ', TensorFlow ')}` : null;
}

let native = nativeLoads();
if (native) {
  done('native backend', `${tfjsPkg} already built (${native}): nothing rebuilt`);
} else {
  // Route A: the package's own install script (downloads libtensorflow 2.9.1 when Google storage is reachable).
  say(`building ${tfjsPkg}: trying its own install script first (downloads libtensorflow from Google storage)`);
  const a = run('npm', ['rebuild', tfjsPkg, '--foreground-scripts'], { quiet: true });
  native = a.ok ? nativeLoads() : null;
  if (native) {
    done('native backend', `${tfjsPkg} built by its install script (${native})`);
  } else if (GPU) {
    warn([`${tfjsPkg} could not be built: its install script needs Google storage for the GPU libtensorflow.`, 'There is no offline route for the GPU build; run `npm run setup` without --gpu for the CPU backend.']);
  } else {
    const reason = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|getaddrinfo|EAI_AGAIN|network/i.test(a.out) ? 'Google storage unreachable' : 'install script failed';
    say(`${reason}; building from the ${WHEEL_SPEC} wheel instead (offline route)`);
    try {
      native = buildFromWheel();
      done('native backend', `${tfjsPkg} built against libtensorflow from ${WHEEL_SPEC} (${native})`);
    } catch (e) {
      warn([
        `The native TensorFlow backend could not be built: ${e.message}`,
        'Training commands (dp train, dp compare, ...) will refuse to run on the pure-JS cpu backend,',
        'which is 300-700x slower, unless you pass --allow-cpu. To fix: give this machine access to Google',
        `storage or to a pip index serving ${WHEEL_SPEC}, then run \`npm run setup\` again.`,
      ]);
      summary.push(['native backend', 'NOT AVAILABLE (see warning above)']);
    }
  }
}

function buildFromWheel() {
  const pip = ['-m', 'pip'];
  const python = ['python3', 'python'].find((p) => run(p, ['--version'], { quiet: true }).ok);
  if (!python) throw new Error('no python3 on PATH to fetch the tensorflow-cpu wheel with pip');
  // The wheel spec names a pinned version of TensorFlow's CPU (or full) wheel; its file is <name_with_underscores>-<version>-...
  const spec = /^(tensorflow(?:-cpu)?)==(\d+\.\d+\.\d+)$/.exec(WHEEL_SPEC);
  if (!spec) throw new Error(`DP_TF_WHEEL = ${WHEEL_SPEC} is invalid: expected tensorflow-cpu==X.Y.Z (or tensorflow==X.Y.Z)`);
  const [, pkgName, version] = spec;
  const prefix = `${pkgName.replace('-', '_')}-${version}-`;
  const libDir = join(cache, `libtensorflow-${version}`);
  const marker = join(libDir, '.complete');
  if (!existsSync(marker)) {
    const wheelDir = join(cache, 'wheels');
    mkdirSync(wheelDir, { recursive: true });
    let wheel = readdirSync(wheelDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (!wheel) {
      say(`pip download --no-deps ${WHEEL_SPEC} (about 270 MB)`);
      const r = run(python, [...pip, 'download', '--no-deps', '--only-binary=:all:', '-d', wheelDir, WHEEL_SPEC], { quiet: true });
      if (!r.ok) throw new Error(`pip could not download ${WHEEL_SPEC}: ${r.out.trim().split('\n').slice(-1)[0]}`);
      wheel = readdirSync(wheelDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
      if (!wheel) throw new Error(`pip reported success but no ${prefix}*.whl is in ${wheelDir}`);
    } else {
      say(`using cached wheel ${join(wheelDir, wheel)}`);
    }
    say(`extracting libtensorflow and the C API headers into ${libDir}`);
    const tmp = `${libDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // Extract with Python's zipfile (always there with pip), only the files the binding needs.
    const extract = `
import sys, zipfile
wanted = ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
prefixes = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
            'tensorflow/include/tsl/platform/', 'tensorflow/include/xla/tsl/c/')
with zipfile.ZipFile(sys.argv[1]) as z:
    names = [n for n in z.namelist() if n in wanted or n.startswith(prefixes)]
    missing = [w for w in wanted if w not in names]
    if missing: sys.exit('wheel lacks ' + ', '.join(missing))
    for n in names: z.extract(n, sys.argv[2])
`;
    const r = run(python, ['-c', extract, join(wheelDir, wheel), tmp], { quiet: true });
    if (!r.ok) throw new Error(`could not extract the wheel: ${r.out.trim()}`);
    rmSync(libDir, { recursive: true, force: true });
    renameSync(join(tmp, 'tensorflow'), libDir);
    rmSync(tmp, { recursive: true, force: true });
    execFileSync('touch', [marker]);
  } else {
    say(`using cached libtensorflow in ${libDir}`);
  }
  // Stage it where tfjs-node's binding.gyp and install script look: deps/include and deps/lib.
  const deps = join(tfjsDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  cpSync(join(libDir, 'include'), join(deps, 'include'), { recursive: true });
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    try {
      linkSync(join(libDir, lib), join(deps, 'lib', lib)); // hard link: no copy, survives cache clean-up
    } catch {
      copyFileSync(join(libDir, lib), join(deps, 'lib', lib));
    }
  }
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib', 'libtensorflow.so.2.9.1'));
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib', 'libtensorflow.so'));
  symlinkSync('libtensorflow_framework.so.2', join(deps, 'lib', 'libtensorflow_framework.so'));
  say('building the tfjs-node binding with node-gyp (about 15 s)');
  // node-gyp downloads Node's headers from nodejs.org unless told where local ones are: offline, point it at the
  // headers installed with this Node (Debian's nodejs package ships them in /usr/include/node) when they match.
  const headers = process.env.npm_config_nodedir ? {} : localNodeHeaders();
  if (headers.npm_config_nodedir) say(`node-gyp uses the local Node headers in ${headers.npm_config_nodedir}/include/node`);
  // With deps/lib/libtensorflow.so.2.9.1 present, tfjs-node's install script skips the download and builds.
  const b = run('npm', ['rebuild', tfjsPkg, '--foreground-scripts'], { quiet: true, env: headers });
  const loaded = b.ok ? nativeLoads() : null;
  if (!loaded) throw new Error(`the binding did not build or load:\n${b.out.split('\n').filter((l) => /error|ERR!/i.test(l)).slice(0, 8).join('\n')}`);
  return loaded;
}

/** { npm_config_nodedir } for node-gyp when this Node's own headers are installed beside it, else {}. */
function localNodeHeaders() {
  const prefix = dirname(dirname(process.execPath));
  const file = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  const version = `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
  return version === process.version ? { npm_config_nodedir: prefix } : {};
}

setupDistributed({ tfjsPkg, nativeReady: Boolean(native), done, warn }); // @dp/distributed's addon, same libtensorflow

// ---------------------------------------------------------------- 3. Debian packages: dataset, report browser
/** apt-get install on Debian/Ubuntu as root or with password-less sudo; returns false where that is not possible. */
function aptInstall(pkg) {
  if (!existsSync('/etc/debian_version') || typeof process.getuid !== 'function') return false;
  const prefix = process.getuid() === 0 ? [] : run('sudo', ['-n', 'true'], { quiet: true }).ok ? ['sudo', '-n'] : null;
  if (!prefix) return false;
  const apt = (...a) => run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(prefix.length ? ['apt-get'] : []), ...a], { quiet: true, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  say(`apt-get install ${pkg}`);
  if (apt('install', '-y', '-q', pkg).ok) return true;
  apt('update', '-q');
  return apt('install', '-y', '-q', pkg).ok;
}

{
  const files = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const has = (d) => files.every((f) => existsSync(join(d, `${f}.gz`)) || existsSync(join(d, f)));
  const candidates = [process.env.DP_DATA_DIR && join(process.env.DP_DATA_DIR, 'fashion-mnist'), process.env.DP_DATA_DIR, join(cache, 'fashion-mnist'), '/usr/share/datasets/fashion-mnist'].filter(Boolean);
  let found = candidates.find(has);
  if (found) {
    done('dataset', `Fashion-MNIST found in ${found}`);
  } else if (aptInstall('dataset-fashion-mnist') && (found = candidates.find(has))) {
    done('dataset', `Fashion-MNIST installed by apt (Debian package dataset-fashion-mnist) in ${found}`);
  } else {
    done('dataset', `Fashion-MNIST not installed; dp downloads it (checking MD5s) on first use into ${join(cache, 'fashion-mnist')} (on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist)`);
  }
}
{
  // Headless Chromium renders the HTML report in the report tests (and for screenshots).
  const chromium = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) done('report browser', `${chromium} present`);
  else if (aptInstall('chromium') && existsSync(chromium)) done('report browser', `${chromium} installed by apt (Debian package chromium)`);
  else done('report browser', 'no Chromium: the HTML report test is skipped (install Debian/Ubuntu package chromium, or set DP_CHROMIUM)');
}

// ---------------------------------------------------------------- 4. build
{
  say('turbo run build');
  const r = run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: { TURBO_TELEMETRY_DISABLED: '1' } });
  if (!r.ok) {
    console.error('[setup] error: the build failed (see above)');
    process.exit(1);
  }
  done('build', 'packages and the dp CLI built (turbo caches unchanged packages)');
}

console.log(`\n[setup] finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
for (const [k, v] of summary) console.log(`  ${k.padEnd(16)} ${v}`);
console.log('\nNext: npx dp doctor · npx dp train --epochs 3 · npm test');
