import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { SetupError } from './errors.js';

/** The tfjs-node version the @dp packages are built and tested against. */
export const TFJS_NODE_VERSION = '4.22.0';

export interface TfjsNodeLocation {
  /** '@tensorflow/tfjs-node' or '@tensorflow/tfjs-node-gpu'. */
  pkg: string;
  /** Its installed directory. */
  dir: string;
  /** The project that owns the node_modules it sits in: where `npm rebuild` runs. */
  project: string;
}

/**
 * Where `pkg` resolves from `from` (the way Node will load it from there), and the project directory owning it.
 * Null when it is not installed.
 */
export function locateTfjsNode(pkg: string, from: string): TfjsNodeLocation | null {
  let manifest: string;
  try {
    manifest = createRequire(join(from, 'noop.js')).resolve(`${pkg}/package.json`);
  } catch {
    return null;
  }
  const dir = dirname(manifest);
  return { pkg, dir, project: owningProject(dir) };
}

/** The directory above the last `node_modules` segment of `dir` (the project an `npm rebuild` there affects). */
export function owningProject(dir: string): string {
  const parts = dir.split(sep);
  const i = parts.lastIndexOf('node_modules');
  return i > 0 ? parts.slice(0, i).join(sep) || sep : dir;
}

/** The SetupError for a missing tfjs-node, with the install command that fits. */
export function notInstalled(pkg: string, from: string): SetupError {
  return new SetupError(
    `${pkg} is not installed where ${from} resolves packages`,
    `npm install --ignore-scripts ${pkg}@${TFJS_NODE_VERSION} in your project, then run this command again`,
    'from',
  );
}

/** Whether the libtensorflow tfjs-node's install script checks for is staged in `dir`/deps/lib. */
export function hasStagedLibrary(dir: string): boolean {
  return (
    existsSync(join(dir, 'deps', 'lib', 'libtensorflow.so.2.9.1')) ||
    existsSync(join(dir, 'deps', 'lib', 'libtensorflow.dylib')) ||
    existsSync(join(dir, 'deps', 'lib', 'tensorflow.dll'))
  );
}
