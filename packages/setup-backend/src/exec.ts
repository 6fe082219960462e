import { spawnSync } from 'node:child_process';

export interface RunResult {
  ok: boolean;
  /** stdout and stderr together (for error lines and network-failure detection). */
  out: string;
  stdout: string;
}

/** Run a command to completion, capturing its output (never inheriting: the caller prints what matters). */
export function run(cmd: string, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const stdout = r.stdout ?? '';
  return { ok: r.status === 0, out: `${stdout}${r.stderr ?? ''}${r.error ? String(r.error.message) : ''}`, stdout };
}

/** The lines of a failed build's output worth showing (errors), at most `max`. */
export function errorLines(out: string, max = 8): string {
  return out
    .split('\n')
    .filter((l) => /error|ERR!/i.test(l))
    .slice(0, max)
    .join('\n');
}
