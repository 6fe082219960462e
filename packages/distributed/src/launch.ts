/**
 * Starting N workers of one command on this machine (loopback), each with its own TF_CONFIG: what `dp launch` does,
 * for trying data-parallel training on one machine. Their output comes back line by line with the rank; when one
 * exits non-zero, the others are given `graceMs` to fail on their own (they detect the dead peer and say so), then
 * are stopped; SIGINT / SIGTERM to the launcher are forwarded to every worker. The first asks them to stop together
 * after the current step; a second asks them to stop at once, and any worker still running `abortMs` later is killed
 * (a worker stuck where it cannot see the signal: the launch ends within a bound, whatever the workers do).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DistributedError } from './errors.js';
import { MAX_TASKS } from './tf-config.js';

export interface LaunchOptions {
  /** Number of workers (ranks 0 .. workers - 1). */
  workers: number;
  /** The command every worker runs, and its arguments. */
  command: string;
  args: readonly string[];
  /** Port of worker 0's gRPC server; worker r uses port + r (default: free ports chosen by the system). */
  port?: number;
  /** The workers' environment besides TF_CONFIG (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Each worker once started: its rank, process id and gRPC address. */
  onStart?(rank: number, pid: number, address: string): void;
  /** Each line a worker writes, with its rank. */
  onLine(rank: number, stream: 'stdout' | 'stderr', line: string): void;
  /** After the first worker fails, how long the others may take to stop on their own (default 30 s). */
  graceMs?: number;
  /** After a second signal to the launcher, how long the workers may take to stop before SIGKILL (default 10 s). */
  abortMs?: number;
  /** Each signal the launcher forwards, with its count (1: the first, 2: the second, ...). */
  onSignal?(signal: NodeJS.Signals, count: number): void;
}

export interface WorkerExit {
  rank: number;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchResult {
  /** 0 when every worker exited 0; else the first failed worker's code (1 if it was killed), 130 when interrupted. */
  code: number;
  /** The first worker that failed, if any. */
  failed?: WorkerExit;
  exits: WorkerExit[];
  /** The signal forwarded to the workers, if the launcher received one. */
  interrupted?: NodeJS.Signals;
}

const HOST = '127.0.0.1';

/** `n` distinct ports free on loopback now (held open together while chosen, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, HOST, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** TF_CONFIG of worker `index` of a loopback cluster on `ports`. */
export function localTfConfig(ports: readonly number[], index: number): string {
  return JSON.stringify({
    cluster: { worker: ports.map((p) => `${HOST}:${p}`) },
    task: { type: 'worker', index },
  });
}

function checkLaunch(o: LaunchOptions): void {
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > MAX_TASKS)
    throw DistributedError.invalid(
      'workers',
      o.workers,
      `an integer in [1, ${MAX_TASKS}]`,
      'pass --workers 2 (or more; one machine)',
    );
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1024 || o.port + o.workers - 1 > 65535))
    throw DistributedError.invalid(
      'port',
      o.port,
      `an integer in [1024, ${65536 - o.workers}] (worker r listens on port + r)`,
      'pass a free port, or leave --port out to let the system choose free ones',
    );
}

/** Starts the workers and resolves when every one has exited. */
export async function launchLocal(o: LaunchOptions): Promise<LaunchResult> {
  checkLaunch(o);
  const ports =
    o.port !== undefined ? Array.from({ length: o.workers }, (_, r) => o.port! + r) : await freePorts(o.workers);
  const graceMs = o.graceMs ?? 30_000;
  const exits: WorkerExit[] = [];
  let failed: WorkerExit | undefined;
  let interrupted: NodeJS.Signals | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const children: ChildProcess[] = [];
  const alive = new Set<number>();

  const stopRest = (): void => {
    for (const r of alive) children[r]!.kill('SIGTERM');
    setTimeout(() => {
      for (const r of alive) children[r]!.kill('SIGKILL');
    }, 5_000).unref();
  };
  let signals = 0;
  const forward = (signal: NodeJS.Signals): void => {
    interrupted ??= signal;
    o.onSignal?.(signal, ++signals);
    for (const r of alive) children[r]!.kill(signal);
    if (signals === 2)
      setTimeout(() => {
        for (const r of alive) children[r]!.kill('SIGKILL');
      }, o.abortMs ?? 10_000).unref();
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<LaunchResult>((resolve) => {
      for (let rank = 0; rank < o.workers; rank++) {
        // Its own process group: a Ctrl-C at the terminal reaches the workers once, forwarded, not twice.
        const child = spawn(o.command, [...o.args], {
          env: { ...(o.env ?? process.env), TF_CONFIG: localTfConfig(ports, rank) },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        children.push(child);
        alive.add(rank);
        if (child.pid !== undefined) o.onStart?.(rank, child.pid, `${HOST}:${ports[rank]}`);
        lines(child.stdout!, (l) => o.onLine(rank, 'stdout', l));
        lines(child.stderr!, (l) => o.onLine(rank, 'stderr', l));
        const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
          if (!alive.delete(rank)) return;
          const exit = { rank, pid: child.pid ?? -1, code, signal };
          exits.push(exit);
          if ((code !== 0 || signal) && !failed) {
            failed = exit;
            if (alive.size > 0) graceTimer = setTimeout(stopRest, graceMs);
          }
          if (alive.size === 0) {
            clearTimeout(graceTimer);
            const code = interrupted ? 130 : failed ? (failed.code ?? 1) || 1 : 0;
            resolve({ code, exits, ...(failed ? { failed } : {}), ...(interrupted ? { interrupted } : {}) });
          }
        };
        child.on('close', settle);
        child.on('error', (e) => {
          o.onLine(rank, 'stderr', `dp launch: could not start ${o.command}: ${e.message}`);
          settle(127, null);
        });
      }
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    for (const r of alive) children[r]!.kill('SIGKILL');
  }
}

/** Calls `onLine` with each complete line of `stream` (and a last unterminated one at its end). */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) onLine(p.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}
