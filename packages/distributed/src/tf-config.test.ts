import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterFingerprint } from './cluster-spec.js';
import { DistributedError } from './errors.js';
import { parseTfConfig, readTfConfig } from './tf-config.js';

const tfConfig = (cluster: unknown, task: unknown, extra: object = {}) => JSON.stringify({ cluster, task, ...extra });

/** A valid cluster: 1-12 workers and maybe a chief, unique host:port addresses. */
const clusterArb = fc
  .record({
    chief: fc.boolean(),
    addresses: fc.uniqueArray(
      fc
        .tuple(
          fc.constantFrom('127.0.0.1', 'localhost', 'w.example.org', '[::1]', '10.1.2.3'),
          fc.integer({ min: 1, max: 65535 }),
        )
        .map(([h, p]) => `${h}:${p}`),
      { minLength: 2, maxLength: 13 },
    ),
  })
  .map(({ chief, addresses }) =>
    chief ? { chief: addresses.slice(0, 1), worker: addresses.slice(1) } : { worker: addresses.slice(1) },
  );

describe('TF_CONFIG', () => {
  it('TensorFlow’s example: two workers, task 1', () => {
    const spec = parseTfConfig('{"cluster":{"worker":["host1:2222","host2:2222"]},"task":{"type":"worker","index":1}}');
    expect(spec.worldSize).toBe(2);
    expect(spec.rank).toBe(1);
    expect(spec.self).toEqual({
      job: 'worker',
      index: 1,
      address: 'host2:2222',
      rank: 1,
      name: '/job:worker/replica:0/task:1',
      device: '/job:worker/replica:0/task:1/device:CPU:0',
    });
  });

  it('every task of any valid cluster parses to its own rank, chief first, the same task list and fingerprint everywhere', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const order = [
          ...(cluster.chief ?? []).map((a, i) => ['chief', i, a] as const),
          ...cluster.worker.map((a, i) => ['worker', i, a] as const),
        ];
        const specs = order.map(([type, index]) =>
          parseTfConfig(tfConfig(cluster, { type, index }, { environment: 'cloud', rpc_layer: 'grpc' })),
        );
        specs.forEach((s, r) => {
          expect(s.rank).toBe(r);
          expect(s.worldSize).toBe(order.length);
          expect([s.self.job, s.self.index, s.self.address]).toEqual(order[r]);
          expect(s.tasks).toEqual(specs[0]!.tasks);
          expect(clusterFingerprint(s)).toBe(clusterFingerprint(specs[0]!));
        });
      }),
    );
  });

  it('the fingerprint tells clusters apart that differ in one address', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), (cluster, k) => {
        const i = k % cluster.worker.length;
        const other = { ...cluster, worker: cluster.worker.map((a, j) => (j === i ? `changed.example:${j + 1}` : a)) };
        const a = parseTfConfig(tfConfig(cluster, { type: 'worker', index: 0 }));
        const b = parseTfConfig(tfConfig(other, { type: 'worker', index: 0 }));
        expect(clusterFingerprint(a) === clusterFingerprint(b)).toBe(
          a.tasks.every((t, j) => t.address === b.tasks[j]!.address),
        );
      }),
    );
  });

  it('any JSON either parses or throws a DistributedError with a field and a fix, never anything else', () => {
    const anyValue = fc.oneof(
      fc.jsonValue(),
      clusterArb.chain((c) =>
        fc.record({
          cluster: fc.oneof(fc.constant(c), fc.jsonValue()),
          task: fc.oneof(
            fc.record({
              type: fc.constantFrom('worker', 'chief', 'ps', 7),
              index: fc.oneof(fc.integer({ min: -2, max: 14 }), fc.double(), fc.string()),
            }),
            fc.jsonValue(),
          ),
        }),
      ),
    );
    fc.assert(
      fc.property(anyValue, (v) => {
        try {
          const s = parseTfConfig(JSON.stringify(v));
          expect(s.tasks[s.rank]).toBe(s.self);
        } catch (e) {
          expect(e).toBeInstanceOf(DistributedError);
          expect((e as DistributedError).field).toMatch(/^TF_CONFIG/);
          expect((e as DistributedError).message).toMatch(/; fix: ./);
        }
      }),
    );
  });

  const W = ['127.0.0.1:2222', '127.0.0.1:2223'];
  it.each([
    ['not JSON', '{cluster:', 'TF_CONFIG', /JSON/],
    ['an array', '[]', 'TF_CONFIG', /"cluster" and "task"/],
    ['no cluster', tfConfig(undefined, { type: 'worker', index: 0 }), 'TF_CONFIG.cluster', /"worker"/],
    ['an empty cluster', tfConfig({}, { type: 'worker', index: 0 }), 'TF_CONFIG.cluster', /at least one of the jobs/],
    [
      'a parameter server',
      tfConfig({ worker: W, ps: ['h:1'] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.ps',
      /parameter-server training is not supported/,
    ],
    [
      'an evaluator job',
      tfConfig({ worker: W, evaluator: ['h:1'] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.evaluator',
      /evaluator/,
    ],
    [
      'two chiefs',
      tfConfig({ worker: W, chief: ['a:1', 'b:1'] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.chief',
      /1 to 1/,
    ],
    ['no workers', tfConfig({ worker: [] }, { type: 'worker', index: 0 }), 'TF_CONFIG.cluster.worker', /array of 1 to/],
    [
      'a port out of range',
      tfConfig({ worker: ['h:70000'] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.worker[0]',
      /\[1, 65535\]/,
    ],
    ['no port', tfConfig({ worker: ['h'] }, { type: 'worker', index: 0 }), 'TF_CONFIG.cluster.worker[0]', /host:port/],
    [
      'a number for an address',
      tfConfig({ worker: [2222] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.worker[0]',
      /host:port/,
    ],
    [
      'the same address twice',
      tfConfig({ worker: [W[0], W[0]] }, { type: 'worker', index: 0 }),
      'TF_CONFIG.cluster.worker[1]',
      /TF_CONFIG.cluster.worker\[0\] has it/,
    ],
    ['no task', tfConfig({ worker: W }, undefined), 'TF_CONFIG.task', /"type": "worker"/],
    [
      'a task of a job not in the cluster',
      tfConfig({ worker: W }, { type: 'chief', index: 0 }),
      'TF_CONFIG.task.type',
      /"worker"/,
    ],
    [
      'an index past the list',
      tfConfig({ worker: W }, { type: 'worker', index: 2 }),
      'TF_CONFIG.task.index',
      /\[0, 1\].*lists 2 tasks/,
    ],
    ['a string index', tfConfig({ worker: W }, { type: 'worker', index: '1' }), 'TF_CONFIG.task.index', /integer/],
    [
      'an inherited index',
      '{"cluster":{"worker":["h:1"]},"task":{"type":"worker","__proto__":{"index":0}}}',
      'TF_CONFIG.task.index',
      /integer/,
    ],
    [
      'another rpc layer',
      tfConfig({ worker: W }, { type: 'worker', index: 0 }, { rpc_layer: 'grpc+verbs' }),
      'TF_CONFIG.rpc_layer',
      /"grpc"/,
    ],
  ])('refuses %s, naming the field and the fix', (_, text, field, allowed) => {
    let error: unknown;
    try {
      parseTfConfig(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DistributedError);
    expect((error as DistributedError).field).toBe(field);
    expect((error as DistributedError).message).toMatch(allowed);
    expect((error as DistributedError).message).toMatch(/; fix: ./);
  });

  it('readTfConfig: unset or blank means one process; set means parsed', () => {
    expect(readTfConfig({})).toBeNull();
    expect(readTfConfig({ TF_CONFIG: ' ' })).toBeNull();
    expect(readTfConfig({ TF_CONFIG: tfConfig({ worker: W }, { type: 'worker', index: 1 }) })?.rank).toBe(1);
    expect(() => readTfConfig({ TF_CONFIG: '{' })).toThrow(DistributedError);
  });
});
