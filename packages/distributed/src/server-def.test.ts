import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterSpec, type JobSpec } from './cluster-spec.js';
import { encodeConfigProto, encodeServerDef } from './server-def.js';
import { decode, message, text, type Fields } from './wire-decoder.test-util.js';

/** The ServerDef read back: { jobs: name -> {index -> address}, jobName, taskIndex, leader, filters, protocol }. */
function readServerDef(bytes: Uint8Array) {
  const f = decode(bytes);
  const jobs: Record<string, Record<number, string>> = {};
  for (const jobBytes of message(f.get(1)![0]).get(1) ?? []) {
    const job = decode(jobBytes as Uint8Array);
    const tasks: Record<number, string> = {};
    for (const entry of job.get(2) ?? []) {
      const e: Fields = decode(entry as Uint8Array);
      tasks[(e.get(1)?.[0] as number | undefined) ?? 0] = text(e.get(2)![0]);
    }
    jobs[text(job.get(1)![0])] = tasks;
  }
  const config = message(f.get(4)![0]);
  return {
    jobs,
    jobName: text(f.get(2)![0]),
    taskIndex: (f.get(3)?.[0] as number | undefined) ?? 0,
    protocol: text(f.get(5)![0]),
    filters: (config.get(4) ?? []).map(text),
    leader: text(message(config.get(16)![0]).get(1)![0]),
    recvBufMaxChunk: message(config.get(16)![0]).get(4)![0],
  };
}

const host = fc.constantFrom('127.0.0.1', 'localhost', 'node-1.example.org', '[::1]');
const clusterArb = fc
  .record({
    chief: fc.boolean(),
    workers: fc.integer({ min: 1, max: 9 }),
    port: fc.integer({ min: 1, max: 60000 }),
    host,
  })
  .chain(({ chief, workers, port, host: h }) => {
    const address = (i: number) => `${h}:${port + i}`;
    const jobs: JobSpec[] = [
      ...(chief ? [{ name: 'chief' as const, addresses: [address(0)] }] : []),
      { name: 'worker' as const, addresses: Array.from({ length: workers }, (_, i) => address(i + 1)) },
    ];
    const total = workers + (chief ? 1 : 0);
    return fc.record({ jobs: fc.constant(jobs), rank: fc.integer({ min: 0, max: total - 1 }) });
  });

describe('ServerDef', () => {
  it('a two-worker cluster: every field where TensorFlow reads it', () => {
    const spec = clusterSpec([{ name: 'worker', addresses: ['127.0.0.1:2222', '127.0.0.1:2223'] }], 'worker', 1);
    expect(readServerDef(encodeServerDef(spec))).toEqual({
      jobs: { worker: { 0: '127.0.0.1:2222', 1: '127.0.0.1:2223' } },
      jobName: 'worker',
      taskIndex: 1,
      protocol: 'grpc',
      filters: ['/job:worker/replica:0/task:1'],
      leader: '/job:worker/replica:0/task:0',
      recvBufMaxChunk: 2 ** 30,
    });
    expect(encodeConfigProto(spec)).toEqual(decode(encodeServerDef(spec)).get(4)![0]);
  });

  it('any cluster reads back: all jobs and tasks, this task, the leader is rank 0 (the chief when there is one)', () => {
    fc.assert(
      fc.property(clusterArb, ({ jobs, rank }) => {
        const ranked = jobs.flatMap((j) => j.addresses.map((_, i) => ({ job: j.name, index: i })));
        const me = ranked[rank]!;
        const spec = clusterSpec(jobs, me.job, me.index);
        const read = readServerDef(encodeServerDef(spec));
        expect(read.jobs).toEqual(
          Object.fromEntries(jobs.map((j) => [j.name, Object.fromEntries(j.addresses.map((a, i) => [i, a]))])),
        );
        expect([read.jobName, read.taskIndex]).toEqual([me.job, me.index]);
        expect(read.leader).toBe(`/job:${jobs[0]!.name}/replica:0/task:0`);
        expect(read.filters).toEqual([`/job:${me.job}/replica:0/task:${me.index}`]);
        expect(spec.rank).toBe(rank);
      }),
    );
  });
});
