import { buildDistributedAddon, type AddonOutcome } from './distributed-addon.js';
import { SetupError } from './errors.js';
import { errorLines, run } from './exec.js';
import { locateTfjsNode, notInstalled, type TfjsNodeLocation } from './locate.js';
import { localNodeHeaders } from './node-headers.js';
import { resolveOptions, type ResolvedOptions, type SetupOptions } from './options.js';
import { probeNative, type NativeProbe } from './probe.js';
import { libtensorflowFromWheel, stageLibrary } from './wheel.js';

/** How the native backend came to work. */
export type SetupRoute = 'already-built' | 'install-script' | 'offline-wheel';

export interface SetupResult {
  route: SetupRoute;
  /** The tfjs-node package and where it is installed. */
  location: TfjsNodeLocation;
  /** The backend that loads now ('tensorflow') and libtensorflow's version. */
  native: NativeProbe;
  /** One line saying what was done, for the user. */
  summary: string;
  /**
   * @dp/distributed's native addon, built against the same libtensorflow (null: @dp/distributed is not installed
   * where `from` resolves packages). A failure here does not fail the set-up: one-process training works without it.
   */
  distributed: AddonOutcome | null;
}

const NETWORK = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|getaddrinfo|EAI_AGAIN|socket hang up|network/i;

/**
 * Make `@tensorflow/tfjs-node` (or `-gpu`) load with its native binding in the project `from` resolves it in:
 *   1. already built and loading: nothing is done;
 *   2. tfjs-node's own install script (`npm rebuild`: downloads libtensorflow 2.9.1 from Google storage, or from the
 *      mirror in TFJS_NODE_CDN_STORAGE / TFJS_NODE_BASE_URI / scripts/custom-binary.json), unless `offline`;
 *   3. the offline route (CPU, Linux x64): libtensorflow from the pinned `tensorflow-cpu` wheel (pip, cached in
 *      `cacheDir`), staged into tfjs-node's deps/, binding built with node-gyp against the local Node headers.
 * Idempotent: a second call finds the backend loading and returns 'already-built'. Throws a SetupError with a fix
 * when no route works. Logs each step through `log`. Then, where @dp/distributed is installed, builds its
 * native addon against the same libtensorflow (`distributed` in the result: built, or the SetupError naming the fix).
 */
export function setupBackend(options: SetupOptions = {}): SetupResult {
  const o = resolveOptions(options);
  const pkg = o.gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const location = locateTfjsNode(pkg, o.from);
  if (!location) throw notInstalled(pkg, o.from);
  o.log(`${pkg} in ${location.dir}`);
  const result = (route: SetupRoute, native: NativeProbe, what: string): SetupResult => {
    const summary = `${what} (backend ${native.backend}, TensorFlow ${native.tensorflowVersion || 'unknown'})`;
    o.log(summary);
    const distributed = buildDistributedAddon(o.from, location, o.env);
    if (distributed?.ok) o.log(distributed.summary);
    return { route, location, native, summary, distributed };
  };

  const before = probeNative(location.dir, location.project, o.env);
  if (before) return result('already-built', before, `${pkg} already loads its native binding: nothing rebuilt`);

  let scriptOutput = '';
  if (!o.offline) {
    o.log(`running ${pkg}'s own install script (npm rebuild: downloads libtensorflow from ${mirrorOf(o.env)})`);
    const a = rebuild(location, o, {});
    scriptOutput = a.out;
    const native = a.ok ? probeNative(location.dir, location.project, o.env) : null;
    if (native) return result('install-script', native, `${pkg} built by its own install script`);
    o.log(
      `its install script did not give a working binding (${NETWORK.test(a.out) ? 'download failed: no network access to the storage' : 'install script failed'})`,
    );
  }
  if (o.gpu) {
    throw new SetupError(
      `${pkg} could not be built: its install script needs Google storage (or a mirror) for the GPU libtensorflow, and there is no offline route for the GPU build${scriptOutput ? `:\n${errorLines(scriptOutput)}` : ''}`,
      'give this machine access to Google storage or set TFJS_NODE_CDN_STORAGE to a mirror, or use the CPU backend (without --gpu)',
      'gpu',
    );
  }
  o.log(`offline route: libtensorflow from the ${o.wheel.spec} wheel`);
  const libDir = libtensorflowFromWheel(o);
  stageLibrary(libDir, location.dir);
  const headers = localNodeHeaders(o.env);
  o.log(
    `building the binding with node-gyp${headers.npm_config_nodedir ? ` (local Node headers in ${headers.npm_config_nodedir}/include/node)` : ''}`,
  );
  const b = rebuild(location, o, headers);
  const native = b.ok ? probeNative(location.dir, location.project, o.env) : null;
  if (!native) {
    throw new SetupError(
      `the tfjs-node binding did not build or load against libtensorflow ${o.wheel.version}:\n${errorLines(b.out)}`,
      'install a C++ toolchain (Debian/Ubuntu: apt-get install build-essential python3) and run this command again',
      'offline route',
    );
  }
  return result('offline-wheel', native, `${pkg} built against libtensorflow from ${o.wheel.spec}`);
}

/** `npm rebuild <pkg>` in the owning project: runs tfjs-node's install script (download unless deps/ is staged, then node-pre-gyp). */
function rebuild(loc: TfjsNodeLocation, o: ResolvedOptions, extraEnv: NodeJS.ProcessEnv) {
  return run(npmCommand(), ['rebuild', loc.pkg, '--foreground-scripts', '--no-audit', '--no-fund'], loc.project, {
    ...o.env,
    ...extraEnv,
  });
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** Where tfjs-node's install script will download libtensorflow from, per its own settings. */
export function mirrorOf(env: NodeJS.ProcessEnv): string {
  return (
    env.TFJS_NODE_BASE_URI ||
    env.npm_config_TFJS_NODE_BASE_URI ||
    env.TFJS_NODE_CDN_STORAGE ||
    env.npm_config_TFJS_NODE_CDN_STORAGE ||
    env.CDN_STORAGE ||
    'https://storage.googleapis.com/'
  );
}
