#!/usr/bin/env node
// One-command set-up: npm dependencies, the native TensorFlow backend (offline-capable), the default dataset,
// and a build. Idempotent: a second run checks each step and rebuilds nothing that already works.
//
//   npm run setup              CPU (@tensorflow/tfjs-node)
//   npm run setup -- --gpu     also install @tensorflow/tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1 on Linux x64)
//
// Native backend (packages/setup-backend, also `npx dp setup-backend` for projects that installed the packages):
//   1. already built and loading -> nothing to do;
//   2. tfjs-node's own install script (downloads libtensorflow 2.9.1 from Google storage or the mirror in
//      TFJS_NODE_CDN_STORAGE / TFJS_NODE_BASE_URI: what a user with internet gets);
//   3. offline route: libtensorflow from the `tensorflow-cpu` wheel on the configured pip index
//      (TF_C/TFE_C API in libtensorflow_cc.so.2), linked into tfjs-node's deps/ folder, binding built with node-gyp;
//   4. otherwise a loud warning: training commands then refuse to run unless given --allow-cpu.
// Then @dp/distributed's addon (multi-worker training), built by the same step against the same libtensorflow.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const GPU = args.has('--gpu') || process.env.DP_TFJS === 'gpu';
const cache = process.env.DP_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dp');
const t0 = Date.now();
const summary = [];

const say = (msg) => console.log(`[setup] ${msg}`);
const done = (step, what) => {
  summary.push([step, what]);
  say(`${step}: ${what}`);
};
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? root,
    stdio: opts.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
  });
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
    console.error(
      '[setup] error: npm could not install the dependencies (see above); fix: check access to the npm registry',
    );
    process.exit(1);
  }
  done('dependencies', fresh ? 'installed from package-lock.json' : 'up to date');
}

// ---------------------------------------------------------------- 2. native backend
// The same code as `npx dp setup-backend` in a project that installed the packages: @dp/setup-backend (built here
// first, since nothing else is built yet).
const tfjsPkg = GPU ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
if (GPU && !existsSync(join(root, 'node_modules', tfjsPkg))) {
  say(`installing ${tfjsPkg} (GPU users: needs CUDA 11.2 and cuDNN 8.1)`);
  if (!run('npm', ['install', '--no-save', '--ignore-scripts', `${tfjsPkg}@4.22.0`]).ok) {
    console.error(`[setup] error: could not install ${tfjsPkg}`);
    process.exit(1);
  }
}
let nativeReady = false;
{
  const pkgDir = join(root, 'packages', 'setup-backend');
  if (!run('npx', ['tsup'], { quiet: true, cwd: pkgDir }).ok) {
    console.error(
      '[setup] error: could not build packages/setup-backend; fix: run `npx tsup` in packages/setup-backend and read its errors',
    );
    process.exit(1);
  }
  const { setupBackend, SetupError } = await import(pathToFileURL(join(pkgDir, 'dist', 'index.js')).href);
  try {
    const r = setupBackend({ from: root, gpu: GPU, log: (line) => say(line) });
    summary.push(['native backend', r.summary]);
    nativeReady = true;
    // @dp/distributed's addon, built by setupBackend against the same libtensorflow (packages/distributed/scripts).
    if (r.distributed?.ok) summary.push(['distributed', r.distributed.summary]);
    else if (r.distributed) {
      warn(r.distributed.error.message.split('\n'));
      summary.push([
        'distributed',
        'addon NOT AVAILABLE (see warning above): multi-worker training will refuse to start',
      ]);
    }
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    warn([
      `The native TensorFlow backend could not be built: ${e.message}`,
      'Training commands (dp train, dp compare, ...) will refuse to run on the pure-JS cpu backend,',
      'which is 300-700x slower, unless you pass --allow-cpu. Then run `npm run setup` again.',
    ]);
    summary.push(['native backend', 'NOT AVAILABLE (see warning above)']);
  }
}

if (!nativeReady) done('distributed', 'addon not built: no native TensorFlow backend to build it against');

// ---------------------------------------------------------------- 3. Debian packages: dataset, report browser
/** apt-get install on Debian/Ubuntu as root or with password-less sudo; returns false where that is not possible. */
function aptInstall(pkg) {
  if (!existsSync('/etc/debian_version') || typeof process.getuid !== 'function') return false;
  const prefix = process.getuid() === 0 ? [] : run('sudo', ['-n', 'true'], { quiet: true }).ok ? ['sudo', '-n'] : null;
  if (!prefix) return false;
  const apt = (...a) =>
    run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(prefix.length ? ['apt-get'] : []), ...a], {
      quiet: true,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  say(`apt-get install ${pkg}`);
  if (apt('install', '-y', '-q', pkg).ok) return true;
  apt('update', '-q');
  return apt('install', '-y', '-q', pkg).ok;
}

{
  const files = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ];
  const has = (d) => files.every((f) => existsSync(join(d, `${f}.gz`)) || existsSync(join(d, f)));
  const candidates = [
    process.env.DP_DATA_DIR && join(process.env.DP_DATA_DIR, 'fashion-mnist'),
    process.env.DP_DATA_DIR,
    join(cache, 'fashion-mnist'),
    '/usr/share/datasets/fashion-mnist',
  ].filter(Boolean);
  let found = candidates.find(has);
  if (found) {
    done('dataset', `Fashion-MNIST found in ${found}`);
  } else if (aptInstall('dataset-fashion-mnist') && (found = candidates.find(has))) {
    done('dataset', `Fashion-MNIST installed by apt (Debian package dataset-fashion-mnist) in ${found}`);
  } else {
    done(
      'dataset',
      `Fashion-MNIST not installed; dp downloads it (checking MD5s) on first use into ${join(cache, 'fashion-mnist')} (on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist)`,
    );
  }
}
{
  // Headless Chromium renders the HTML report in the report tests (and for screenshots).
  const chromium = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) done('report browser', `${chromium} present`);
  else if (aptInstall('chromium') && existsSync(chromium))
    done('report browser', `${chromium} installed by apt (Debian package chromium)`);
  else
    done(
      'report browser',
      'no Chromium: the HTML report test is skipped (install Debian/Ubuntu package chromium, or set DP_CHROMIUM)',
    );
}

// ---------------------------------------------------------------- 4. build
{
  say('turbo run build');
  const r = run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    env: { TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (!r.ok) {
    console.error('[setup] error: the build failed (see above)');
    process.exit(1);
  }
  done('build', 'packages and the dp CLI built (turbo caches unchanged packages)');
}

console.log(`\n[setup] finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
for (const [k, v] of summary) console.log(`  ${k.padEnd(16)} ${v}`);
console.log('\nNext: npx dp doctor · npx dp train --epochs 3 · npm test');
