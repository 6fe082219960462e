/** Options of joinCluster, validated at the boundary. */
import type { ClusterSpec } from './cluster-spec.js';
import { DistributedError } from './errors.js';

export interface JoinOptions {
  /** The cluster and this process's place in it: readTfConfig() or parseTfConfig(text). */
  readonly cluster: ClusterSpec;
  /** Longest any one collective may wait for its peers before it fails (DEADLINE_EXCEEDED). Default 120 000 ms. */
  readonly timeoutMs?: number;
  /** Longest joinCluster waits for every worker to start and join. Default 300 000 ms. */
  readonly startupTimeoutMs?: number;
  /** While a collective is pending, every peer's health is checked this often. Default 2000 ms. */
  readonly healthCheckIntervalMs?: number;
  /** A peer that does not answer a health check within this long is declared down. Default 5000 ms. */
  readonly healthCheckTimeoutMs?: number;
  /** TensorFlow's collective group key: processes joining the same cluster use the same one. Default 1. */
  readonly groupKey?: number;
}

export interface ResolvedJoinOptions {
  readonly cluster: ClusterSpec;
  readonly timeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly groupKey: number;
}

const DAY = 86_400_000;

function int(field: string, value: unknown, fallback: number, min: number, max: number, fix: string): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw DistributedError.invalid(`joinCluster options.${field}`, v, `an integer in [${min}, ${max}]`, fix);
  }
  return v;
}

export function resolveJoinOptions(options: JoinOptions): ResolvedJoinOptions {
  if (typeof options !== 'object' || options === null) {
    throw DistributedError.invalid(
      'joinCluster options',
      options,
      'an object { cluster, ... }',
      'pass { cluster: readTfConfig() }',
    );
  }
  const c = options.cluster as unknown as Partial<ClusterSpec> | null | undefined;
  if (typeof c !== 'object' || c === null || !Array.isArray(c.tasks) || typeof c.self !== 'object' || c.self === null) {
    throw DistributedError.invalid(
      'joinCluster options.cluster',
      c,
      'a ClusterSpec from readTfConfig() or parseTfConfig()',
      'set TF_CONFIG and pass { cluster: readTfConfig() }',
    );
  }
  const timeoutMs = int(
    'timeoutMs',
    options.timeoutMs,
    120_000,
    100,
    DAY,
    'give the longest a step may wait for the slowest worker, in ms',
  );
  return {
    cluster: options.cluster,
    timeoutMs,
    startupTimeoutMs: int(
      'startupTimeoutMs',
      options.startupTimeoutMs,
      300_000,
      100,
      DAY,
      'give how long to wait for all workers to start, in ms',
    ),
    healthCheckIntervalMs: int(
      'healthCheckIntervalMs',
      options.healthCheckIntervalMs,
      2000,
      10,
      DAY,
      'give the health-check period in ms',
    ),
    healthCheckTimeoutMs: int(
      'healthCheckTimeoutMs',
      options.healthCheckTimeoutMs,
      5000,
      10,
      DAY,
      'give how long a peer may take to answer, in ms',
    ),
    groupKey: int('groupKey', options.groupKey, 1, 1, 2 ** 31 - 1, 'give a positive int32, the same on every worker'),
  };
}
