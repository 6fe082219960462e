/** What a training program does at start-up: join the cluster TF_CONFIG describes, or run alone when it is unset. */
import { joinCluster, type Collective } from './collective.js';
import { DistributedError } from './errors.js';
import { loadNative } from './native.js';
import type { JoinOptions } from './options.js';
import { readTfConfig } from './tf-config.js';

/**
 * The membership of the cluster `env.TF_CONFIG` describes (joined: every worker has started), or null when TF_CONFIG
 * is unset or empty. A TF_CONFIG that cannot be used (invalid, or the native addon missing) is a DistributedError
 * that says TF_CONFIG asked for it, with the fix, rather than a silent one-process run.
 */
export async function joinFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: Omit<JoinOptions, 'cluster'> = {},
): Promise<Collective | null> {
  const cluster = readTfConfig(env);
  if (!cluster) return null;
  try {
    loadNative();
  } catch (e) {
    if (!DistributedError.isInstance(e)) throw e;
    throw new DistributedError(
      `TF_CONFIG is set (worker ${cluster.rank} of ${cluster.worldSize}), but ${e.problem}`,
      `${e.fix}; or unset TF_CONFIG to train in one process`,
      e.field,
      e.value,
    );
  }
  return joinCluster({ ...options, cluster });
}
