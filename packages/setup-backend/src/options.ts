import { homedir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from './errors.js';

/** What `setupBackend` is asked to do. Every field is optional; `resolveOptions` fills the defaults. */
export interface SetupOptions {
  /** The directory whose `@tensorflow/tfjs-node` is built: resolution starts here (default: process.cwd()). */
  from?: string;
  /** Build `@tensorflow/tfjs-node-gpu` (CUDA 11.2 + cuDNN 8.1, Linux x64) instead. No offline route exists for it. */
  gpu?: boolean;
  /** The pip wheel libtensorflow is taken from on the offline route (default `tensorflow-cpu==2.21.0`, or $DP_TF_WHEEL). */
  wheel?: string;
  /** Where the wheel and the extracted libtensorflow are cached (default $DP_CACHE_DIR, else ~/.cache/dp). */
  cacheDir?: string;
  /** Skip tfjs-node's own install script (its download) and go straight to the offline route. */
  offline?: boolean;
  /** Progress lines (default: console.log with a `[setup-backend]` prefix). */
  log?: (line: string) => void;
  /** Environment the child processes see (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedOptions {
  from: string;
  gpu: boolean;
  wheel: { spec: string; name: string; version: string };
  cacheDir: string;
  offline: boolean;
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_WHEEL = 'tensorflow-cpu==2.21.0';
const WHEEL_RE = /^(tensorflow(?:-cpu)?)==(\d+\.\d+\.\d+)$/;

/** Validate and default the options (one SetupError naming the field, its value, what is allowed, and a fix). */
export function resolveOptions(opts: SetupOptions = {}): ResolvedOptions {
  if (opts === null || typeof opts !== 'object')
    throw new SetupError(
      `options = ${String(opts)} is invalid: expected an object`,
      'pass { from?, gpu?, wheel?, cacheDir?, offline? }',
      'options',
    );
  const env = opts.env ?? process.env;
  const str = (field: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '')
      throw new SetupError(
        `${field} = ${JSON.stringify(v)} is invalid: expected a non-empty string`,
        `pass a ${field === 'wheel' ? 'pip requirement such as tensorflow-cpu==2.21.0' : 'directory path'} or leave it out`,
        field,
      );
    return v;
  };
  const bool = (field: string, v: unknown): boolean => {
    if (v === undefined) return false;
    if (typeof v !== 'boolean')
      throw new SetupError(
        `${field} = ${JSON.stringify(v)} is invalid: expected true or false`,
        `pass a boolean ${field}`,
        field,
      );
    return v;
  };
  const spec = str('wheel', opts.wheel) ?? (env.DP_TF_WHEEL || DEFAULT_WHEEL);
  const m = WHEEL_RE.exec(spec);
  if (!m) {
    const where = opts.wheel !== undefined ? 'wheel' : 'DP_TF_WHEEL';
    throw new SetupError(
      `${where} = ${JSON.stringify(spec)} is invalid: expected tensorflow-cpu==X.Y.Z or tensorflow==X.Y.Z`,
      `set it to a pinned TensorFlow wheel such as ${DEFAULT_WHEEL}`,
      where,
    );
  }
  const gpu = bool('gpu', opts.gpu) || env.DP_TFJS === 'gpu';
  return {
    from: str('from', opts.from) ?? process.cwd(),
    gpu,
    wheel: { spec, name: m[1]!, version: m[2]! },
    cacheDir:
      str('cacheDir', opts.cacheDir) ??
      (env.DP_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dp')),
    offline: bool('offline', opts.offline),
    log: opts.log ?? ((line) => console.log(`[setup-backend] ${line}`)),
    env,
  };
}
