import { isFullData, markdownTable, methodName, type MethodSummary } from './summarize.js';

function cell(m: MethodSummary, seeds: number, adjust: boolean): string {
  const n = m.seeds.length;
  const acc =
    n > 1
      ? `${(100 * m.accuracy.mean).toFixed(2)} ± ${(100 * m.accuracy.std).toFixed(2)}`
      : (100 * m.accuracy.mean).toFixed(2);
  const parts = [acc];
  const speedup = adjust ? m.adjustedSpeedup : m.speedup;
  if (speedup !== undefined && !isFullData(m)) parts.push(`${speedup.toFixed(2)}×`);
  // The share trained is implied by the ratio for fixed-ratio policies; say it where it is not (InfoBatch, annealing).
  if (!isFullData(m) && Math.abs(m.trainedFraction - (1 - m.pruneRatio)) > 0.005)
    parts.push(`${(100 * m.trainedFraction).toFixed(0)}% data`);
  if (n !== seeds) parts.push(`${n} seed${n === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** What a cell of a ratio table holds, for a caption above it. */
export function ratioTableKey(adjustForMachine = false): string {
  const speedup = adjustForMachine
    ? "speed-up vs. full data at the full-data run's machine speed (adj. speed-up)"
    : 'measured speed-up vs. full data';
  return `Each cell: test accuracy in % (mean ± sample std over seeds, n − 1) · ${speedup} · the share of the data trained where it is not 1 − ratio (InfoBatch, annealing, equal steps rounded up to whole epochs) · the number of seeds where it is not the most common one.`;
}

/**
 * The summaries as one method × prune-ratio table per setting (dataset, model, epochs), Markdown; cells as in
 * ratioTableKey(). Rows keep the order of `ms` (full data first).
 */
export function ratioTables(
  ms: MethodSummary[],
  { adjustForMachine = false } = {},
): { title: string; table: string }[] {
  const settings = new Map<string, MethodSummary[]>();
  for (const m of ms) {
    const key = `${m.dataset} / ${m.model} · ${/\d epochs/.test(m.settingLabel) ? m.settingLabel : `${m.epochs} epochs${m.settingLabel ? `, ${m.settingLabel}` : ''}`}`;
    settings.set(key, [...(settings.get(key) ?? []), m]);
  }
  const out: { title: string; table: string }[] = [];
  for (const [title, group] of settings) {
    const counts = new Map<number, number>();
    for (const m of group) counts.set(m.seeds.length, (counts.get(m.seeds.length) ?? 0) + 1);
    const seeds = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
    const ratios = [...new Set(group.filter((m) => !isFullData(m)).map((m) => m.pruneRatio))].sort((a, b) => a - b);
    const rows = new Map<string, Map<number | 'full-data', string>>();
    for (const m of group) {
      const name = methodName(m);
      const row = rows.get(name) ?? new Map<number | 'full-data', string>();
      const col = isFullData(m) ? 'full-data' : m.pruneRatio;
      row.set(
        col,
        row.has(col) ? `${row.get(col)!}; ${cell(m, seeds, adjustForMachine)}` : cell(m, seeds, adjustForMachine),
      );
      rows.set(name, row);
    }
    const hasFull = group.some((m) => isFullData(m));
    const head = ['method', ...(hasFull ? ['full data'] : []), ...ratios.map((r) => `@ ${r}`)];
    const body = [...rows].map(([name, row]) => [
      name,
      ...(hasFull ? [row.get('full-data') ?? ''] : []),
      ...ratios.map((r) => row.get(r) ?? ''),
    ]);
    out.push({ title, table: markdownTable(head, body) });
  }
  return out;
}
