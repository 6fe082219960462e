import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './errors.js';
import { run } from './exec.js';
import type { ResolvedOptions } from './options.js';

/** The files of the wheel the binding needs: the two shared libraries and the C API headers. */
const EXTRACT = `
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

/**
 * libtensorflow (the TF_C / TFE_C API lives in libtensorflow_cc.so.2) and its headers from the pinned TensorFlow
 * wheel, extracted once into `<cacheDir>/libtensorflow-<version>` and reused by every later call and every project.
 * Downloads the wheel with pip only when neither the extracted library nor the wheel is cached. Returns the folder.
 */
export function libtensorflowFromWheel(o: ResolvedOptions): string {
  const { spec, name, version } = o.wheel;
  const libDir = join(o.cacheDir, `libtensorflow-${version}`);
  const marker = join(libDir, '.complete');
  if (existsSync(marker)) {
    o.log(`using the cached libtensorflow ${version} in ${libDir}`);
    return libDir;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `the offline route supports Linux x64 only (this is ${process.platform} ${process.arch})`,
      "give this machine access to Google storage or a mirror of it (TFJS_NODE_CDN_STORAGE) so tfjs-node's own install script can download libtensorflow",
      'offline route',
    );
  }
  const python = ['python3', 'python'].find((p) => run(p, ['--version'], process.cwd(), o.env).ok);
  if (!python)
    throw new SetupError(
      'no python3 on PATH to fetch and unpack the TensorFlow wheel',
      'install Python 3 with pip (Debian/Ubuntu: apt-get install python3-pip)',
      'offline route',
    );
  const prefix = `${name.replace('-', '_')}-${version}-`;
  const wheelDir = join(o.cacheDir, 'wheels');
  mkdirSync(wheelDir, { recursive: true });
  const cached = () => readdirSync(wheelDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  let wheel = cached();
  if (wheel) {
    o.log(`using the cached wheel ${join(wheelDir, wheel)}`);
  } else {
    o.log(`pip download --no-deps ${spec} (about 270 MB, from your pip index: PIP_INDEX_URL / pip.conf)`);
    const r = run(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheelDir, spec],
      wheelDir,
      o.env,
    );
    if (!r.ok)
      throw new SetupError(
        `pip could not download ${spec}: ${r.out.trim().split('\n').slice(-1)[0]}`,
        `give pip access to an index serving ${spec} (PIP_INDEX_URL), or put the wheel file in ${wheelDir}`,
        'offline route',
      );
    wheel = cached();
    if (!wheel)
      throw new SetupError(
        `pip reported success but no ${prefix}*.whl is in ${wheelDir}`,
        `download ${spec} into ${wheelDir} by hand`,
        'offline route',
      );
  }
  o.log(`extracting libtensorflow and the C API headers into ${libDir}`);
  const tmp = `${libDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const x = run(python, ['-c', EXTRACT, join(wheelDir, wheel), tmp], tmp, o.env);
  if (!x.ok) {
    rmSync(tmp, { recursive: true, force: true });
    throw new SetupError(
      `could not extract ${wheel}: ${x.out.trim()}`,
      `delete ${join(wheelDir, wheel)} (it may be truncated) and run again`,
      'offline route',
    );
  }
  rmSync(libDir, { recursive: true, force: true });
  renameSync(join(tmp, 'tensorflow'), libDir);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(marker, `${spec}\n`);
  return libDir;
}

/**
 * Stage libtensorflow where tfjs-node's binding.gyp and install script look (`deps/include`, `deps/lib`, with the
 * 2.9.1 file name its install script checks for, so that script skips its download and builds the binding).
 * Hard links when possible: no copy of the 600 MB library, and the project keeps working if the cache is cleaned.
 */
export function stageLibrary(libDir: string, tfjsDir: string): void {
  const deps = join(tfjsDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  cpSync(join(libDir, 'include'), join(deps, 'include'), { recursive: true });
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    try {
      linkSync(join(libDir, lib), join(deps, 'lib', lib));
    } catch {
      copyFileSync(join(libDir, lib), join(deps, 'lib', lib));
    }
  }
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib', 'libtensorflow.so.2.9.1'));
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib', 'libtensorflow.so'));
  symlinkSync('libtensorflow_framework.so.2', join(deps, 'lib', 'libtensorflow_framework.so'));
}
