/**
 * `--startup-timeout S` (dp train, a TF_CONFIG worker): how long joining the cluster waits for every worker to start,
 * in seconds on the command line, joinCluster's `startupTimeoutMs` in the API.
 */
import { DistributedError } from './errors.js';

/** joinCluster's default `startupTimeoutMs`, in seconds: a worker that never starts is waited for 5 minutes. */
export const DEFAULT_STARTUP_TIMEOUT_S = 300;
/** The range joinCluster accepts (100 ms to a day), in seconds. */
const MIN_S = 0.1;
const MAX_S = 86_400;

/**
 * The `startupTimeoutMs` for a `--startup-timeout` flag's text (seconds, decimals allowed: `60`, `2.5`), or undefined
 * when the flag was not given (joinCluster's default). Anything else is a DistributedError naming the flag, the
 * value, the range and the fix.
 */
export function startupTimeoutMs(flag: unknown): number | undefined {
  if (flag === undefined) return undefined;
  const s = typeof flag === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(flag) ? Number(flag) : NaN;
  if (!(s >= MIN_S && s <= MAX_S))
    throw DistributedError.invalid(
      '--startup-timeout',
      flag,
      `a number of seconds in [${MIN_S}, ${MAX_S}]`,
      `pass e.g. --startup-timeout 60 (default ${DEFAULT_STARTUP_TIMEOUT_S}: how long joining the cluster waits for every worker to start)`,
    );
  return Math.round(s * 1000);
}
