import { ExperimentError } from '../errors.js';

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
  if (clock && source === 'DP_BENCH_UNTIL') {
    // A script calls dp bench several times: once 17:30 has passed, "the next 17:30" would be tomorrow's.
    throw new ExperimentError(
      `DP_BENCH_UNTIL '${value}' is a time of day, which would move to tomorrow for a dp bench started after it; fix: an ISO date-time, e.g. DP_BENCH_UNTIL=$(date -d '${v}' +%Y-%m-%dT%H:%M)`,
    );
  }
  if (clock) {
    const [h, m] = [Number(clock[1]), Number(clock[2])];
    if (h > 23 || m > 59) throw untilError(value, source);
    const at = new Date(now);
    at.setHours(h, m, 0, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  // Date.parse alone accepts too much ("1", "May 5") and rolls impossible dates over (Feb 30 = Mar 2, T24:00 =
  // the next day): insist on the ISO shape and on fields in range first.
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
  if (iso) {
    const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    const t = Date.parse(v);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && sec <= 59 && Number.isFinite(t))
      return t;
  }
  throw untilError(value, source);
}

function untilError(value: string, source: string): ExperimentError {
  return new ExperimentError(
    `${source} '${value}' is not a time; fix: HH:MM (local time, the next such time, e.g. 17:30) or an ISO date-time (e.g. 2026-11-22T17:30 local, 2026-11-22T17:30Z)`,
  );
}

/**
 * Whether a run estimated at `needSeconds` may start at `now` (ms) with the deadline `until` (ms). Nothing starts
 * once the deadline has passed; before it, a run with no estimate (0: no run of the sweep has finished yet) starts,
 * since there is nothing to go by.
 */
export function fitsBefore(needSeconds: number, now: number, until: number): boolean {
  if (now >= until) return false;
  return needSeconds <= 0 || now + needSeconds * 1000 <= until;
}

/** The deadline as people read it: local date and time to the minute (2026-11-22 17:30). */
export function formatDeadline(ms: number): string {
  const t = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}

/**
 * A sweep's deadline from `--until` (`flag`), else $DP_BENCH_UNTIL in `env`: the time (epoch ms), where it came from,
 * and the sentence a status line says of it; nothing when neither is set.
 */
export function sweepDeadline(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): { until: number; source: string; text: string } | undefined {
  const source = flag !== undefined ? '--until' : 'DP_BENCH_UNTIL';
  const value = flag ?? (env.DP_BENCH_UNTIL || undefined);
  if (value === undefined) return undefined;
  const until = parseUntil(value, now, source);
  return { until, source, text: formatDeadline(until) };
}
