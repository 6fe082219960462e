import { CliError } from '../errors.js';

/**
 * `dp bench --until`: the time after which no run may end, so a sweep on a machine with a time limit (a batch
 * job's wall time, a preemptible VM, a working session) does not start a run it cannot finish.
 *
 * Accepts HH:MM (local time: the next such time, as `at` reads it) or an ISO 8601 date-time with minutes
 * (2026-11-22T09:50, local; 2026-11-22T09:50Z or with an offset). Returns epoch milliseconds.
 */
export function parseUntil(value: string, now: Date = new Date(), source = '--until'): number {
  const v = value.trim();
  const clock = /^(\d{1,2}):(\d{2})$/.exec(v);
  if (clock) {
    const [h, m] = [Number(clock[1]), Number(clock[2])];
    if (h > 23 || m > 59) throw untilError(value, source);
    const at = new Date(now);
    at.setHours(h, m, 0, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  // Date.parse alone accepts too much ("1", "May 5"): insist on the ISO shape first.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  throw untilError(value, source);
}

function untilError(value: string, source: string): CliError {
  return new CliError(
    `${source} '${value}' is not a time; fix: HH:MM (local time, the next such time, e.g. 17:30) or an ISO date-time (e.g. 2026-11-22T17:30 local, 2026-11-22T17:30Z)`,
  );
}

/**
 * Whether a run estimated at `needSeconds` may start at `now` (ms) with the deadline `until` (ms). A run with no
 * estimate (0: nothing of its setup or any other has finished yet) starts, since there is nothing to go by.
 */
export function fitsBefore(needSeconds: number, now: number, until: number): boolean {
  return needSeconds <= 0 || now + needSeconds * 1000 <= until;
}
