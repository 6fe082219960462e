import { parseArgs } from 'node:util';
import { SetupError } from './errors.js';
import { DEFAULT_WHEEL } from './options.js';
import { setupBackend } from './setup.js';

export function usage(prog: string): string {
  return `Usage: ${prog} [--gpu] [--offline] [--wheel SPEC] [--cache-dir DIR] [--from DIR]

Builds the native TensorFlow backend (@tensorflow/tfjs-node) of this project, for a project that installed it with
--ignore-scripts or whose install script failed offline, then @dp/distributed's native addon (multi-worker training)
where that package is installed. Idempotent: a second run checks and rebuilds nothing.
  1. already loading: nothing to do;
  2. tfjs-node's own install script (downloads libtensorflow 2.9.1 from Google storage, or from your mirror:
     TFJS_NODE_CDN_STORAGE, TFJS_NODE_BASE_URI or node_modules/@tensorflow/tfjs-node/scripts/custom-binary.json);
  3. offline route (CPU, Linux x64): libtensorflow from the ${DEFAULT_WHEEL} wheel on your pip index
     (cached in $DP_CACHE_DIR or ~/.cache/dp), binding built with node-gyp.
Then, with @dp/distributed installed: its addon, built with node-gyp against the same libtensorflow and headers (the
libtensorflow of step 3; Google's 2.9.1 of step 2 lacks the collective ops). Where it cannot be built, a warning
names the fix; the exit status stays 0 (one-process training does not need it).

Options:
  --gpu            build @tensorflow/tfjs-node-gpu instead (install script only; also DP_TFJS=gpu)
  --offline        skip the install script's download; go straight to the offline route
  --wheel SPEC     the wheel of the offline route (default ${DEFAULT_WHEEL}; also DP_TF_WHEEL)
  --cache-dir DIR  where the wheel and libtensorflow are cached (default $DP_CACHE_DIR, else ~/.cache/dp)
  --from DIR       build the tfjs-node that DIR resolves (default: ${prog.startsWith('dp ') ? 'the one dp loads' : 'the current directory'})

Exit status 0 when the native backend loads afterwards, 1 when no route worked, 2 on a usage error.
`;
}

/** The flags of the set-up's command line (parseArgs options, without --help). */
export const SETUP_FLAGS = {
  gpu: { type: 'boolean' },
  offline: { type: 'boolean' },
  wheel: { type: 'string' },
  'cache-dir': { type: 'string' },
  from: { type: 'string' },
} as const;

/**
 * The command line of the set-up (the `dp-setup-backend` bin and `dp setup-backend`): parse, run, print what was
 * done, return the exit code. `from` is the default resolution directory; `prog` names the command in messages.
 */
export function setupBackendMain(argv: readonly string[], defaults: { from?: string; prog?: string } = {}): number {
  const prog = defaults.prog ?? 'dp-setup-backend';
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...SETUP_FLAGS, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`${prog}: error: ${(e as Error).message}; fix: see \`${prog} --help\`\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage(prog));
    return 0;
  }
  return runSetupBackend(values, { ...defaults, prog });
}

/**
 * The set-up from parsed flags (SETUP_FLAGS): run it, print what was done, return the exit code (0 when the native
 * backend loads afterwards, 1 when no route worked, 2 on a bad option). For a caller that parsed the flags itself.
 */
export function runSetupBackend(
  values: Record<string, string | boolean | undefined>,
  defaults: { from?: string; prog?: string } = {},
): number {
  const prog = defaults.prog ?? 'dp-setup-backend';
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const from = str('from') ?? defaults.from;
  const cacheDir = str('cache-dir');
  const wheel = str('wheel');
  try {
    const r = setupBackend({
      gpu: values.gpu === true,
      offline: values.offline === true,
      ...(from !== undefined ? { from } : {}),
      ...(cacheDir !== undefined ? { cacheDir } : {}),
      ...(wheel !== undefined ? { wheel } : {}),
      log: (line) => process.stdout.write(`[${prog}] ${line}\n`),
    });
    // The native backend works; only multi-worker training is unavailable: a warning, exit 0.
    if (r.distributed && !r.distributed.ok) process.stderr.write(`${prog}: warning: ${r.distributed.error.message}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    process.stderr.write(`${prog}: error: ${e.message}\n`);
    return e.field === 'wheel' || e.field === 'from' || e.field === 'cacheDir' ? 2 : 1;
  }
}
