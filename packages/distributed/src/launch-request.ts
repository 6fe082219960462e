/**
 * A launch as a command line gives it (`dp launch --workers N [--port P] -- COMMAND ARGS...`), checked and turned into
 * launchLocal's options, and how its outcome reads: the part of `dp launch` a program other than the dp CLI needs too.
 */
import { DistributedError } from './errors.js';
import type { LaunchOptions, LaunchResult } from './launch.js';

/** The flags as parsed (strings, or undefined when not given) and the command after `--`. */
export interface LaunchRequest {
  workers: unknown;
  port?: unknown;
  command: readonly string[];
}

/** What `dp` in the launched command stands for: this very CLI, run by the same Node. */
export interface LaunchSelf {
  node: string;
  script: string;
}

/**
 * The workers, port and command of a launch, checked (launchLocal checks the ranges). A command that starts with
 * `dp` runs `self`, the launching CLI itself under the same Node, rather than whatever `dp` is on the PATH.
 */
export function launchTarget(
  r: LaunchRequest,
  self?: LaunchSelf,
): Pick<LaunchOptions, 'workers' | 'port' | 'command' | 'args'> {
  const workers = integerFlag('workers', r.workers, true)!;
  const port = integerFlag('port', r.port, false);
  if (r.command.length === 0)
    throw new DistributedError(
      'no command to launch',
      'give it after `--`, e.g. dp launch --workers 2 -- dp train --epochs 1',
    );
  const [command, args] =
    r.command[0] === 'dp' && self
      ? [self.node, [self.script, ...r.command.slice(1)]]
      : [r.command[0]!, r.command.slice(1)];
  return { workers, ...(port !== undefined ? { port } : {}), command, args };
}

/** The tag before each line of worker `rank`'s output: `[r] `, ranks right-aligned. */
export function rankTag(rank: number, workers: number): string {
  return `[${String(rank).padStart(String(workers - 1).length)}] `;
}

/**
 * Why a launch failed, as an error to report (undefined when every worker succeeded, or when the launcher was
 * interrupted and forwarded the signal: the workers then stopped on purpose).
 */
export function launchFailure(result: LaunchResult, workers: number): DistributedError | undefined {
  const f = result.failed;
  if (result.interrupted || !f) return undefined;
  const how = f.signal ? `was killed by ${f.signal}` : `exited with code ${f.code}`;
  return new DistributedError(
    `worker ${f.rank} of ${workers} (pid ${f.pid}) ${how}, the first to fail; the others were stopped`,
    `see its output above ([${f.rank}] lines), then resume every worker from the last checkpoint with the same --workers ${workers}`,
    `worker ${f.rank}`,
    f.code ?? f.signal,
  );
}

function integerFlag(name: string, value: unknown, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) throw new DistributedError(`--${name} is required`, `pass --${name} N, e.g. --${name} 2`);
    return undefined;
  }
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new DistributedError(
      `--${name} ${String(value)} is invalid: expected an integer`,
      `pass --${name} 2`,
      name,
      value,
    );
  return n;
}
