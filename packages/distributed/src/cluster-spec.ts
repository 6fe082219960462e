/** A validated cluster, as TensorFlow's TF_CONFIG describes it, with every task's rank. */
import { fnv1a31 } from './fnv.js';

/** The jobs whose tasks take part in the collectives, in rank order (MultiWorkerMirroredStrategy's convention). */
export const JOB_ORDER = ['chief', 'worker'] as const;
export type JobName = (typeof JOB_ORDER)[number];

export interface JobSpec {
  readonly name: JobName;
  /** "host:port" of task 0, 1, ... */
  readonly addresses: readonly string[];
}

export interface TaskSpec {
  readonly job: JobName;
  readonly index: number;
  readonly address: string;
  /** Rank in the collectives: chief first, then workers by index. */
  readonly rank: number;
  /** TensorFlow's task name, e.g. "/job:worker/replica:0/task:1". */
  readonly name: string;
  /** The task's CPU device, where its collectives run. */
  readonly device: string;
}

export interface ClusterSpec {
  /** Jobs present, in JOB_ORDER. */
  readonly jobs: readonly JobSpec[];
  /** Every task, by rank. */
  readonly tasks: readonly TaskSpec[];
  /** This process's task. */
  readonly self: TaskSpec;
  readonly worldSize: number;
  readonly rank: number;
}

/** Builds the spec from jobs already validated (in JOB_ORDER) and this task's job and index. */
export function clusterSpec(jobs: readonly JobSpec[], job: JobName, index: number): ClusterSpec {
  const tasks: TaskSpec[] = [];
  for (const j of jobs) {
    j.addresses.forEach((address, i) => {
      const name = `/job:${j.name}/replica:0/task:${i}`;
      tasks.push({ job: j.name, index: i, address, rank: tasks.length, name, device: `${name}/device:CPU:0` });
    });
  }
  const self = tasks.find((t) => t.job === job && t.index === index);
  if (!self) throw new RangeError(`clusterSpec: no task ${job}:${index} in the cluster`);
  return { jobs, tasks, self, worldSize: tasks.length, rank: self.rank };
}

/**
 * A 31-bit hash of the cluster's task list (names and addresses, by rank), compared across workers at start-up
 * so that workers started with different TF_CONFIG clusters fail at once instead of mixing up ranks.
 */
export function clusterFingerprint(spec: Pick<ClusterSpec, 'tasks'>): number {
  return fnv1a31(spec.tasks.map((t) => `${t.name}=${t.address};`).join(''));
}
