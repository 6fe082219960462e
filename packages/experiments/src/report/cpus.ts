import type { RunSummary } from '../run/summary.js';

/** How many runs trained on each CPU (formatCpu strings; "unknown" for runs recorded before CPUs were). */
export function cpuCounts(runs: RunSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of runs)
    for (const c of r.cpus?.length ? r.cpus : ['unknown (recorded before 2026-12-06)'])
      counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

/**
 * A note for reports whose runs come from more than one CPU (a run resumed on another host counts for each): their
 * wall-clock costs were measured on different hardware and are not comparable as one machine's. Undefined when
 * every run names the same CPU.
 */
export function cpuNote(runs: RunSummary[]): string | undefined {
  const counts = cpuCounts(runs);
  if (counts.size < 2) return undefined;
  const list = [...counts].map(([cpu, n]) => `${cpu}: ${n} run${n === 1 ? '' : 's'}`).join('; ');
  return `These runs trained on ${counts.size} different CPUs (${list}), so their costs were measured on different hardware; compare speed-ups within one CPU, or use --adjust-machine-speed.`;
}
