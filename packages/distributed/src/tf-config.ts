/**
 * TensorFlow's cluster convention: the TF_CONFIG environment variable,
 *   {"cluster": {"worker": ["host:port", ...], "chief": ["host:port"]}, "task": {"type": "worker", "index": 1}}
 * parsed and validated at the boundary, so launchers written for TensorFlow (Kubernetes operators, Slurm scripts)
 * start @dp workers unchanged. Pure: no environment access except in readTfConfig.
 */
import { clusterSpec, JOB_ORDER, type ClusterSpec, type JobName, type JobSpec } from './cluster-spec.js';
import { DistributedError } from './errors.js';

/** Most tasks a cluster may list (TensorFlow's group size is an int32; this bound only catches nonsense). */
export const MAX_TASKS = 4096;

const EXAMPLE = '{"cluster":{"worker":["10.0.0.1:2222","10.0.0.2:2222"]},"task":{"type":"worker","index":0}}';
const FIX = `set TF_CONFIG as TensorFlow's MultiWorkerMirroredStrategy expects it, e.g. TF_CONFIG='${EXAMPLE}' (the same JSON on every worker except task.index)`;
const ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(\d{1,5})$/;

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The cluster this process belongs to, from the TF_CONFIG text; throws a DistributedError naming the field, the
 * value, what is allowed, and the fix.
 */
export function parseTfConfig(text: string): ClusterSpec {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    throw DistributedError.invalid('TF_CONFIG', text, `JSON (${(e as Error).message})`, FIX);
  }
  if (!isRecord(config))
    throw DistributedError.invalid('TF_CONFIG', config, 'a JSON object with "cluster" and "task"', FIX);
  if (own(config, 'rpc_layer') && config.rpc_layer !== 'grpc') {
    throw DistributedError.invalid(
      'TF_CONFIG.rpc_layer',
      config.rpc_layer,
      '"grpc" (or no rpc_layer)',
      'remove rpc_layer: the collectives run over gRPC',
    );
  }
  const jobs = parseCluster(own(config, 'cluster') ? config.cluster : undefined);
  const { type, index } = parseTask(own(config, 'task') ? config.task : undefined, jobs);
  return clusterSpec(jobs, type, index);
}

/** The cluster from process.env.TF_CONFIG, or null when it is unset or empty (a single-process run). */
export function readTfConfig(env: Readonly<Record<string, string | undefined>> = process.env): ClusterSpec | null {
  const text = env.TF_CONFIG;
  return text === undefined || text.trim() === '' ? null : parseTfConfig(text);
}

function parseCluster(cluster: unknown): JobSpec[] {
  if (!isRecord(cluster))
    throw DistributedError.invalid('TF_CONFIG.cluster', cluster, 'an object like {"worker": ["host:port", ...]}', FIX);
  for (const key of Object.keys(cluster)) {
    if ((JOB_ORDER as readonly string[]).includes(key)) continue;
    const why =
      key === 'ps'
        ? 'parameter-server training is not supported (collective all-reduce only)'
        : key === 'evaluator'
          ? 'a side evaluator takes no part in the collectives'
          : 'an unknown job';
    throw DistributedError.invalid(
      `TF_CONFIG.cluster.${key}`,
      cluster[key],
      `no such job: ${why}; jobs allowed: ${JOB_ORDER.join(', ')}`,
      `remove "${key}" from TF_CONFIG.cluster and list every training process under "worker" (and optionally one "chief")`,
    );
  }
  const jobs: JobSpec[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  for (const name of JOB_ORDER) {
    if (!own(cluster, name)) continue;
    const field = `TF_CONFIG.cluster.${name}`;
    const list = cluster[name];
    const max = name === 'chief' ? 1 : MAX_TASKS;
    if (!Array.isArray(list) || list.length < 1 || list.length > max) {
      throw DistributedError.invalid(field, list, `an array of 1 to ${max} "host:port" strings`, FIX);
    }
    const addresses = list.map((address, i) => {
      const f = `${field}[${i}]`;
      const m = typeof address === 'string' ? ADDRESS.exec(address) : null;
      const port = m ? Number(m[1]) : NaN;
      if (!m || port < 1 || port > 65535) {
        throw DistributedError.invalid(
          f,
          address,
          '"host:port" with a port in [1, 65535] (IPv6 hosts in brackets: "[::1]:2222")',
          FIX,
        );
      }
      const other = seen.get(address as string);
      if (other)
        throw DistributedError.invalid(
          f,
          address,
          `an address no other task uses (${other} has it)`,
          'give every task its own host:port',
        );
      seen.set(address as string, f);
      return address as string;
    });
    total += addresses.length;
    jobs.push({ name, addresses });
  }
  if (jobs.length === 0)
    throw DistributedError.invalid('TF_CONFIG.cluster', cluster, 'at least one of the jobs "worker", "chief"', FIX);
  if (total > MAX_TASKS)
    throw DistributedError.invalid(
      'TF_CONFIG.cluster',
      `${total} tasks`,
      `at most ${MAX_TASKS} tasks`,
      'list fewer tasks',
    );
  return jobs;
}

function parseTask(task: unknown, jobs: readonly JobSpec[]): { type: JobName; index: number } {
  if (!isRecord(task))
    throw DistributedError.invalid('TF_CONFIG.task', task, 'an object like {"type": "worker", "index": 0}', FIX);
  const names = jobs.map((j) => j.name);
  const type = own(task, 'type') ? task.type : undefined;
  const job = jobs.find((j) => j.name === type);
  if (!job)
    throw DistributedError.invalid(
      'TF_CONFIG.task.type',
      type,
      `one of the cluster's jobs: ${names.map((n) => `"${n}"`).join(', ')}`,
      FIX,
    );
  const index = own(task, 'index') ? task.index : undefined;
  const n = job.addresses.length;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= n) {
    throw DistributedError.invalid(
      'TF_CONFIG.task.index',
      index,
      `an integer in [0, ${n - 1}] (TF_CONFIG.cluster.${job.name} lists ${n} task${n === 1 ? '' : 's'})`,
      'give each process its own task.index, 0 to N-1',
    );
  }
  return { type: job.name, index };
}
