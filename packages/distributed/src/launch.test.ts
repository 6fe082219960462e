import { describe, expect, it } from 'vitest';
import { DistributedError } from './errors.js';
import { freePorts, launchLocal, localTfConfig } from './launch.js';
import { parseTfConfig } from './tf-config.js';

// A stand-in worker: prints its task index, then worker 1 fails and the others wait to be stopped.
const WORKER = `const c = JSON.parse(process.env.TF_CONFIG);
console.log('task ' + c.task.index + ' of ' + c.cluster.worker.length);
console.error('to stderr');
if (c.task.index === 1) setTimeout(() => process.exit(3), 300);
else setTimeout(() => {}, 60000);`;

describe('launchLocal (dp launch)', () => {
  it('gives each worker its own TF_CONFIG, prefixes its lines, and stops the others after the first failure', async () => {
    const lines: string[] = [];
    const started: number[] = [];
    const result = await launchLocal({
      workers: 3,
      command: process.execPath,
      args: ['-e', WORKER],
      graceMs: 500,
      onStart: (rank) => started.push(rank),
      onLine: (rank, stream, line) => lines.push(`${rank} ${stream} ${line}`),
    });
    expect(started).toEqual([0, 1, 2]);
    for (const r of [0, 1, 2]) {
      expect(lines).toContain(`${r} stdout task ${r} of 3`);
      expect(lines).toContain(`${r} stderr to stderr`);
    }
    expect(result.code).toBe(3);
    expect(result.failed).toMatchObject({ rank: 1, code: 3, signal: null });
    expect(result.exits.filter((e) => e.rank !== 1).map((e) => e.signal)).toEqual(['SIGTERM', 'SIGTERM']);
  }, 30_000);

  it('a second signal to the launcher: forwarded, then workers still running after abortMs are killed (exit 130)', async () => {
    // Workers that ignore SIGINT (stuck where they cannot act on it), after saying they are ready.
    const stuck =
      "process.on('SIGINT', () => console.log('SIGINT')); console.log('ready'); setTimeout(() => {}, 60000);";
    const ready: number[] = [];
    const got: string[] = [];
    const signals: Array<[string, number]> = [];
    const launched = launchLocal({
      workers: 2,
      command: process.execPath,
      args: ['-e', stuck],
      abortMs: 300,
      onSignal: (signal, count) => signals.push([signal, count]),
      onLine: (rank, _stream, line) => (line === 'ready' ? ready.push(rank) : got.push(`${rank} ${line}`)),
    });
    while (ready.length < 2) await new Promise((r) => setTimeout(r, 20));
    // As a terminal's Ctrl-C would reach the launcher (its listeners, without signalling this test process).
    process.emit('SIGINT', 'SIGINT');
    while (got.length < 2) await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGINT', 'SIGINT');
    const result = await launched;
    expect(signals).toEqual([
      ['SIGINT', 1],
      ['SIGINT', 2],
    ]);
    // Both workers got the first (and usually the second, before they were killed).
    expect(new Set(got.slice(0, 2))).toEqual(new Set(['0 SIGINT', '1 SIGINT']));
    expect(result.code).toBe(130);
    expect(result.interrupted).toBe('SIGINT');
    expect(result.exits.map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL']);
  }, 30_000);

  it('exits 0 when every worker does', async () => {
    const result = await launchLocal({
      workers: 2,
      command: process.execPath,
      args: ['-e', 'process.exit(0)'],
      onLine: () => {},
    });
    expect(result).toMatchObject({ code: 0, exits: [{ code: 0 }, { code: 0 }] });
    expect(result.failed).toBeUndefined();
  }, 30_000);

  it('writes TF_CONFIG that parses to the right rank on free, distinct ports', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const i of [0, 1, 2]) {
      const spec = parseTfConfig(localTfConfig(ports, i));
      expect(spec.rank).toBe(i);
      expect(spec.self.address).toBe(`127.0.0.1:${ports[i]}`);
    }
  });

  it('refuses a bad worker count or port with a DistributedError naming it', async () => {
    const base = { command: process.execPath, args: [], onLine: () => {} };
    await expect(launchLocal({ ...base, workers: 0 })).rejects.toThrow(DistributedError);
    await expect(launchLocal({ ...base, workers: 0 })).rejects.toThrow(/^workers = 0 is invalid: expected an integer/);
    await expect(launchLocal({ ...base, workers: 2, port: 65535 })).rejects.toThrow(/^port = 65535 is invalid/);
  });
});
