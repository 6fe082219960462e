// The real thing: 2 and 3 worker processes on loopback, joined through TF_CONFIG, all-reducing and all-gathering
// through TensorFlow's collective runtime; a worker killed (or frozen) mid-run makes the others fail, naming it.
// Skipped with the reason only where the addon is not built, and never in CI (CI=true): there it fails loudly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeStatus } from './native.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(pkg, 'test-fixtures', 'worker.mjs');
const status = nativeStatus();
const run = status.ok || Boolean(process.env.CI);
const reason = run ? '' : ` (skipped: ${status.ok ? '' : status.reason})`;

interface Line {
  event: string;
  rank: number;
  at: number;
  [k: string]: unknown;
}
interface Worker {
  proc: ChildProcess;
  lines: Line[];
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/** n ports free on loopback now (held open together so that they differ, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function startWorker(addresses: string[], index: number, scenario: string, env: Record<string, string> = {}): Worker {
  const TF_CONFIG = JSON.stringify({ cluster: { worker: addresses }, task: { type: 'worker', index } });
  const proc = spawn(process.execPath, [WORKER, scenario], {
    env: { ...process.env, TF_CONFIG, TF_CPP_MIN_LOG_LEVEL: '3', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  const lines: Line[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, i)) as Line);
      buf = buf.slice(i + 1);
    }
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const exit = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  void exit.then((code) => {
    if (code !== 0 && code !== 3 && code !== null) console.error(`worker ${index} exited with ${code}:\n${stderr}`);
  });
  return { proc, lines, exit };
}

async function startCluster(
  n: number,
  scenario: string,
  env: Record<string, string> = {},
): Promise<{ addresses: string[]; workers: Worker[] }> {
  const addresses = (await freePorts(n)).map((p) => `127.0.0.1:${p}`);
  return { addresses, workers: addresses.map((_, i) => startWorker(addresses, i, scenario, env)) };
}

const until = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const last = (w: Worker): Line | undefined => w.lines.at(-1);
/** Whether something listens on loopback `port` now. */
const accepts = (port: number): Promise<boolean> =>
  new Promise((res) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
  });

describe('collectives across worker processes (TensorFlow collective ops over gRPC on loopback)', () => {
  it.skipIf(!run)('the addon is built and loads' + reason, () => {
    expect(existsSync(join(pkg, 'dist', 'index.js')), 'the package is built (npm run build)').toBe(true);
    expect(status.ok ? status.tensorflow : status.reason).toMatch(/^\d+\.\d+/);
  });

  it.skipIf(!run).each([2, 3])(
    '%i workers: all-reduce gives the exact sum, mean and max on every worker; all-gather gives every worker’s data in rank order; gradients average in one fused all-reduce; close() lets every worker exit 0' +
      reason,
    async (n) => {
      const { workers } = await startCluster(n, 'reduce-gather');
      const codes = await Promise.all(workers.map((w) => w.exit));
      expect(codes).toEqual(workers.map(() => 0));
      const ranks = Array.from({ length: n }, (_, r) => r);
      const sumOfRanks = ranks.reduce((a, r) => a + r + 1, 0); // worker r holds (i + 1) * (r + 1)
      workers.forEach((w, r) => {
        const res = w.lines.find((l) => l.event === 'result')!;
        expect(res.rank).toBe(r);
        const sum = res.sum as number[];
        expect(sum).toHaveLength(1000);
        expect(sum).toEqual(sum.map((_, i) => (i + 1) * sumOfRanks));
        expect(res.mean).toEqual(sum.map((_, i) => Math.fround(((i + 1) * sumOfRanks) / n)));
        expect(res.max).toEqual(sum.map((_, i) => (i + 1) * n));
        expect(res.gathered).toEqual(ranks.flatMap((q) => [q, q + 0.5]));
        expect(res.ids).toEqual(ranks.flatMap((q) => [q * 10, q * 10 + 1, q * 10 + 2]));
        expect(res.input).toEqual([1, 2, 3].map((i) => i * (r + 1))); // the caller's array is not touched
        expect(res.big).toEqual([sumOfRanks, sumOfRanks]);
        expect(res.queued).toEqual([sumOfRanks, sumOfRanks, 100 * n, 100 * n]);
        expect(w.lines.find((l) => l.event === 'done')!.afterClose).toMatch(/^all-reduce after close\(\); fix: /);
        const meanRank = (n - 1) / 2;
        expect(res.grads).toEqual({
          w: [1, 2, 3].map((i) => Math.fround(i * meanRank)),
          b: [Math.fround(meanRank + 1)],
        });
      });
    },
  );

  it.skipIf(!run)(
    'a worker that leaves during start-up (its peers still waiting to join): the others fail within seconds, naming it, not after startupTimeoutMs' +
      reason,
    async () => {
      // Workers 0 and 1 of 3 wait in the start-up barrier for worker 2, which never starts; worker 1 then dies.
      const addresses = (await freePorts(3)).map((p) => `127.0.0.1:${p}`);
      const waiting = [0, 1].map((i) => startWorker(addresses, i, 'reduce-gather'));
      await until(() => waiting.every((w) => w.lines.some((l) => l.event === 'joining')), 120_000, 'both joining');
      // Worker 1's gRPC server is up, then long enough for worker 0's start-up watch (checks every 500 ms) to see it.
      const port = Number(addresses[1]!.split(':')[1]);
      while (!(await accepts(port))) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 3000));
      const killedAt = Date.now();
      waiting[1]!.proc.kill('SIGKILL');
      expect(await waiting[0]!.exit).toBe(3);
      const err = last(waiting[0]!)!;
      expect(err.event).toBe('error');
      expect(err.message).toContain(`worker 1 of 3 (/job:worker/replica:0/task:1 at ${addresses[1]}) is down`);
      expect(err.message).toContain('start-up barrier');
      expect(err.message).not.toContain('worker 2 of 3'); // never started: not "down"
      expect(err.at - killedAt).toBeLessThan(15_000);
    },
    300_000,
  );

  it.skipIf(!run)('a worker killed mid-run (SIGKILL): the others fail within seconds, naming it' + reason, async () => {
    const { addresses, workers } = await startCluster(3, 'kill');
    const victim = workers[2]!;
    await until(() => victim.lines.some((l) => l.event === 'step' && (l.step as number) >= 3), 90_000, 'step 3');
    const killedAt = Date.now();
    victim.proc.kill('SIGKILL');
    const codes = await Promise.all(workers.slice(0, 2).map((w) => w.exit));
    expect(codes).toEqual([3, 3]);
    for (const w of workers.slice(0, 2)) {
      const err = last(w)!;
      expect(err.event).toBe('error');
      expect(err.message).toContain(`worker 2 of 3 (/job:worker/replica:0/task:2 at ${addresses[2]}) is down`);
      expect(err.message).toMatch(/; fix: restart every worker/);
      expect(err.code).toBe('TF_UNAVAILABLE');
      expect(err.at - killedAt).toBeLessThan(15_000);
    }
  });

  it.skipIf(!run)(
    'a frozen worker (SIGSTOP): the other fails within the health-check bound, naming it' + reason,
    async () => {
      const { addresses, workers } = await startCluster(2, 'kill');
      const victim = workers[1]!;
      await until(() => victim.lines.some((l) => l.event === 'step' && (l.step as number) >= 3), 90_000, 'step 3');
      const stoppedAt = Date.now();
      victim.proc.kill('SIGSTOP');
      expect(await workers[0]!.exit).toBe(3);
      const err = last(workers[0]!)!;
      expect(err.message).toContain(`worker 1 of 2 (/job:worker/replica:0/task:1 at ${addresses[1]}) is down`);
      // interval 0.5 s + 2 health checks of at most 2 s each, plus scheduling slack on a loaded machine
      expect(err.at - stoppedAt).toBeLessThan(15_000);
    },
  );

  it.skipIf(!run)(
    'a worker that never starts: joinCluster fails after startupTimeoutMs, naming it' + reason,
    async () => {
      const addresses = (await freePorts(2)).map((p) => `127.0.0.1:${p}`);
      const w = startWorker(addresses, 0, 'reduce-gather', { DP_TEST_STARTUP_MS: '3000' });
      expect(await w.exit).toBe(3);
      const err = last(w)!;
      expect(err.message).toContain(`worker 1 of 2 (/job:worker/replica:0/task:1 at ${addresses[1]}) is down`);
      expect(err.message).toContain('start-up barrier');
    },
  );

  it.skipIf(!run)('a port already in use: joinCluster fails naming the address and the fix' + reason, async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const w = startWorker([`127.0.0.1:${port}`], 0, 'reduce-gather');
      expect(await w.exit).toBe(3);
      expect(last(w)!.message).toMatch(
        new RegExp(
          `worker 0 of 1 .* could not start: .*; fix: check that 127.0.0.1:${port} is this machine's address and its port is free`,
        ),
      );
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
