/** Loads the native addon (native/collective.cc) once, with an error naming the fix when it is missing or broken. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DistributedError } from './errors.js';

/** The addon's functions; see native/collective.cc. */
export interface NativeCollective {
  open(serverDef: Uint8Array, config: Uint8Array): NativeContext;
  collective(
    ctx: NativeContext,
    gather: boolean,
    input: Float32Array | Int32Array | Float64Array,
    groupSize: number,
    groupKey: number,
    instanceKey: number,
    mergeOp: string,
    finalOp: string,
    timeoutSeconds: number,
    device: string,
  ): Promise<ArrayBuffer>;
  checkPeerHealth(ctx: NativeContext, task: string, timeoutMs: number): Promise<void>;
  abort(ctx: NativeContext, code: number, message: string): void;
  tfVersion(): string;
}
/** An opaque TFE_Context with collective ops enabled. */
export type NativeContext = { readonly __brand: 'TFE_Context' };

/** The package's own folder (dist/.. here, src/.. under the tests): the addon and its build script are found from it. */
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where scripts/build.mjs puts the addon. */
export const ADDON_PATH = join(PACKAGE_DIR, 'native', 'build', 'Release', 'dp_collective.node');
/** The script that builds the addon: packages/distributed/scripts in the repository, the installed package's otherwise. */
const BUILD_SCRIPT = join(PACKAGE_DIR, 'scripts', 'build.mjs');
/** Installed from a tarball or the registry (node_modules/@dp/distributed) rather than this repository. */
const INSTALLED = PACKAGE_DIR.split(/[\\/]/).includes('node_modules');
const BUILD_FIX = INSTALLED
  ? 'run `npx dp setup-backend` (it builds this addon with node-gyp once the native backend works)'
  : `run \`npm run setup\`, or build it alone with \`node ${BUILD_SCRIPT}\``;

let cached: NativeCollective | undefined;

/** The addon, loaded on first use; throws a DistributedError naming the fix when it cannot be. */
export function loadNative(path = ADDON_PATH): NativeCollective {
  if (cached && path === ADDON_PATH) return cached;
  if (!existsSync(path)) {
    throw new DistributedError(
      `the @dp/distributed native addon is not built (${path} does not exist)`,
      BUILD_FIX,
      'addon',
      path,
    );
  }
  let addon: NativeCollective;
  try {
    addon = createRequire(import.meta.url)(path) as NativeCollective;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new DistributedError(
      `the @dp/distributed native addon ${path} does not load: ${why}`,
      `${BUILD_FIX}; it must find libtensorflow_cc.so.2 where it was built (node_modules/@tensorflow/tfjs-node/deps/lib)`,
      'addon',
      path,
    );
  }
  if (path === ADDON_PATH) cached = addon;
  return addon;
}

/** Whether the addon is present and loads, with the reason when not (for tests and `dp doctor`). */
export function nativeStatus(): { ok: true; tensorflow: string } | { ok: false; reason: string } {
  try {
    return { ok: true, tensorflow: loadNative().tfVersion() };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/**
 * The addon's row in a setup diagnosis (@dp/experiments `diagnose({ checks })`, shown by `dp doctor`): whether
 * multi-worker training is available here, and why not.
 */
export const distributedCheck = {
  name: 'distributed',
  check(): string {
    const s = nativeStatus();
    return s.ok
      ? `addon loads (TensorFlow ${s.tensorflow} collectives): dp launch and TF_CONFIG workers available`
      : `unavailable (one-process training is unaffected): ${s.reason}`;
  },
};
