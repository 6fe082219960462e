import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../run/summary.js';
import { writeFileAtomic } from '../fs.js';
import { barChart, esc, lineChart, type Series } from './svg.js';
import { MACHINE_KEY } from './machine.js';
import { costModelKey, type CostModel } from '../cost/cost-model.js';
import { methodStyles } from './styles.js';
import { ratioTableKey, ratioTables } from './pivot.js';
import {
  isFullData,
  methodName,
  prunes,
  settingName,
  summarize,
  summaryTable,
  type MethodSummary,
} from './summarize.js';
import { SPREAD_KEY, spreadTable } from './spread.js';
import { PAIRED_KEY, pairedSection } from './paired-table.js';
import { stepBudgetNotes } from './step-budget.js';

const SPREAD_HEADING = '## How often each sample was selected';
const PAIRED_HEADING = '## Paired differences over seeds (95% confidence intervals)';
/** Above the equal-steps notes (step-budget.ts). */
const STEP_BUDGET_HEADING = '**What the equal-steps baseline says about each protocol.**';

/** The report's plots as SVG strings, keyed by id. */
export function plots(
  ms: MethodSummary[],
  { adjustForMachine = false } = {},
): { id: string; caption: string; svg: string }[] {
  const settings = [...new Set(ms.map(settingName))];
  const tag = (m: MethodSummary) => (settings.length > 1 ? `${m.label} (${settingName(m)})` : m.label);
  const style = methodStyles(ms);
  const out: { id: string; caption: string; svg: string }[] = [];
  // A plot is drawn only where it can show something: a comparison needs two points, a ratio axis two ratios, a
  // curve two epochs, the selection plots a method that prunes; error bars need two seeds (one seed draws none).
  const bars = ms.some((m) => m.seeds.length > 1)
    ? 'Error bars: standard deviation over seeds.'
    : 'One seed per method, so no error bars (run more seeds for them).';

  const cost = (m: MethodSummary) => (adjustForMachine ? m.adjustedCost?.mean : m.cost.mean);
  const costed = ms.filter((m) => cost(m) !== undefined);
  if (costed.length > 1)
    out.push({
      id: 'accuracy-vs-cost',
      caption: `Test accuracy against training cost (seconds of training, data loading, selection and scoring; evaluation excluded${adjustForMachine ? "; at the full-data run's machine speed" : ''}). ${bars}`,
      svg: lineChart(
        {
          id: 'accuracy-vs-cost',
          title: 'Accuracy vs. training cost',
          xLabel: adjustForMachine ? 'training cost (s, adjusted for machine speed)' : 'training cost (s)',
          yLabel: 'test accuracy (%)',
        },
        costed.map((m) => ({
          name: tag(m),
          line: false,
          style: style(m, true),
          points: [{ x: cost(m)!, y: 100 * m.accuracy.mean, err: 100 * m.accuracy.std }],
        })),
      ),
    });

  const byPolicy = new Map<string, MethodSummary[]>();
  for (const m of ms) {
    const key = JSON.stringify([methodName(m), settingName(m)]);
    byPolicy.set(key, [...(byPolicy.get(key) ?? []), m]);
  }
  const ratios = [...new Set(ms.filter((m) => !isFullData(m)).map((m) => m.pruneRatio))];
  const ratioSeries: Series[] = [];
  for (const group of byPolicy.values()) {
    const first = group[0]!;
    const name = settings.length > 1 ? `${methodName(first)} (${settingName(first)})` : methodName(first);
    if (isFullData(first)) {
      // Full data across the ratios the methods were run at (it has no ratio of its own).
      const [lo, hi] = [Math.min(...ratios), Math.max(...ratios)];
      const points = [lo, hi].map((x) => ({ x, y: 100 * first.accuracy.mean }));
      ratioSeries.push({ name, dashed: true, style: style(first), points });
    } else {
      ratioSeries.push({
        name,
        style: style(first),
        points: group.map((m) => ({ x: m.pruneRatio, y: 100 * m.accuracy.mean, err: 100 * m.accuracy.std })),
      });
    }
  }
  if (ratios.length > 1)
    out.push({
      id: 'accuracy-vs-ratio',
      caption:
        'Test accuracy against prune ratio (share of the data left out per epoch; InfoBatch is placed at its r, though it prunes only below-mean samples and trains more than 1 − r), mean ± sample standard deviation (n − 1) over seeds; dashed: full data.',
      svg: lineChart(
        {
          id: 'accuracy-vs-ratio',
          title: 'Accuracy vs. prune ratio',
          xLabel: 'prune ratio',
          yLabel: 'test accuracy (%)',
        },
        ratioSeries,
      ),
    });

  const curves = ms.map((m) => ({
    name: tag(m),
    style: style(m, true),
    points: m.accuracyPerEpoch.flatMap((a, e) => (a === null ? [] : [{ x: e + 1, y: 100 * a }])),
  }));
  if (curves.some((c) => c.points.length > 1))
    out.push({
      id: 'accuracy-per-epoch',
      caption: 'Test accuracy after each epoch (mean over seeds).',
      svg: lineChart(
        {
          id: 'accuracy-per-epoch',
          title: 'Accuracy per epoch',
          xLabel: 'epoch',
          integerX: true,
          yLabel: 'test accuracy (%)',
        },
        curves,
      ),
    });

  const pruned = ms.filter(prunes);
  if (!pruned.length) return out;
  const maxEpochs = Math.max(0, ...pruned.map((m) => m.epochs));
  out.push({
    id: 'selection-histogram',
    caption:
      '"Sometimes" samples: the share of training samples selected in exactly e epochs. Uniform random selection gives a binomial; score-based policies concentrate on samples that stay hard.',
    svg: barChart(
      {
        id: 'selection-histogram',
        title: 'How often each sample was trained on',
        xLabel: 'epochs selected',
        yLabel: 'share of samples (%)',
      },
      Array.from({ length: maxEpochs + 1 }, (_, e) => String(e)),
      pruned.map((m) => ({
        name: tag(m),
        style: style(m, true),
        values: Array.from({ length: maxEpochs + 1 }, (_, e) => 100 * (m.selectionHistogram[e] ?? 0)),
      })),
    ),
  });
  out.push({
    id: 'selection-flips',
    caption:
      "Share of samples whose membership in the selected subset changed at least once between consecutive epochs, beside the share that would flip by chance (each epoch a uniformly random subset of the same size: 1 − Π f − Π (1 − f) over the epochs' trained shares f). Uniform random selection flips exactly at chance; a policy above it re-selects more, below it keeps a steadier core.",
    svg: barChart(
      {
        id: 'selection-flips',
        title: 'Samples whose selection flips',
        xLabel: 'method',
        yLabel: 'samples that flipped (%)',
      },
      pruned.map((m) => tag(m)),
      [
        // Greys: these series are not methods, so they take none of the methods' colours.
        {
          name: 'flipped at least once',
          style: { color: '#444', hollow: false },
          values: pruned.map((m) => 100 * m.flippedShare),
        },
        {
          name: 'by chance (same subset sizes)',
          style: { color: '#aaa', hollow: false },
          values: pruned.map((m) => 100 * m.flipChance),
        },
      ],
    ),
  });
  return out;
}

/** A Markdown table (header, rule, rows) as an HTML table. */
function htmlTable(markdown: string): string {
  // Cells are split at unescaped pipes; markdownTable escapes a pipe inside a cell as \|.
  const rows = markdown
    .split('\n')
    .filter((_, i) => i !== 1)
    .map((l) =>
      l
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
  return `<table><thead><tr>${rows[0]!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .slice(1)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/**
 * Write report.md and a self-contained report.html (inline SVG and CSS, no scripts or external files) into `dir`;
 * returns their paths, the summaries, the comparison table and the step-budget notes (stepBudgetNotes), for the caller
 * to print.
 */
export function writeReport(
  runs: RunSummary[],
  dir: string,
  {
    title = 'dp report',
    adjustForMachine = false,
    onWarning,
    costModel,
  }: {
    title?: string;
    adjustForMachine?: boolean;
    onWarning?: (message: string) => void;
    /** Price every run at one machine speed with this cost model (a "speed-up (1 machine)" column). */
    costModel?: CostModel;
  } = {},
): { markdown: string; html: string; summaries: MethodSummary[]; table: string; stepBudget: string[] } {
  const ms = summarize(runs, { ...(onWarning ? { onWarning } : {}), ...(costModel ? { costModel } : {}) });
  mkdirSync(dir, { recursive: true });
  const table = summaryTable(ms, { adjustForMachine, priced: costModel !== undefined });
  const pricedKey = costModel ? costModelKey(costModel) : undefined;
  const figs = plots(ms, { adjustForMachine });
  // Worth a second view only when some method was run at more than one ratio.
  const byRatio =
    new Set(ms.filter((m) => !isFullData(m)).map((m) => m.pruneRatio)).size > 1
      ? ratioTables(ms, { adjustForMachine })
      : [];
  const spread = spreadTable(ms);
  const paired = pairedSection(ms);
  const budget = stepBudgetNotes(paired.groups);
  const md = [
    `# ${title}`,
    '',
    `Generated from ${runs.length} run(s). Training cost = training + data loading + selection + scoring seconds (evaluation excluded); speed-up = full-data cost / method cost, both measured; ± = sample standard deviation over seeds (n − 1); acc change = method mean − full-data mean, each over all its seeds; flipped = share of samples whose selection changed between consecutive epochs (in brackets: by chance, for uniformly random subsets of the same sizes).`,
    '',
    table,
    '',
    ...(adjustForMachine ? [MACHINE_KEY, ''] : []),
    ...(pricedKey ? [pricedKey, ''] : []),
    PAIRED_HEADING,
    '',
    PAIRED_KEY,
    '',
    paired.resolution,
    '',
    ...(budget.length ? [STEP_BUDGET_HEADING, '', ...budget.map((b) => `- ${b}`), ''] : []),
    ...paired.tables.flatMap((t) => [`**${t.title}**`, '', t.table, '']),
    ...(byRatio.length
      ? [
          '## By prune ratio',
          '',
          ratioTableKey(adjustForMachine),
          '',
          ...byRatio.flatMap((t) => [`**${t.title}**`, '', t.table, '']),
        ]
      : []),
    ...(spread ? [SPREAD_HEADING, '', SPREAD_KEY, '', spread, ''] : []),
    '## Plots',
    '',
    ...figs.map((f) => `- **${f.id}**: ${f.caption}`),
    '',
  ].join('\n');
  const htmlRatio = byRatio.length
    ? `<h2>By prune ratio</h2>\n<p>${esc(ratioTableKey(adjustForMachine))}</p>\n${byRatio.map((t) => `<h3>${esc(t.title)}</h3>\n${htmlTable(t.table)}`).join('\n')}`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}th{background:#f3f3f3}
figure{margin:1.5rem 0}figcaption{font-size:13px;color:#555;max-width:640px}svg{max-width:100%;height:auto}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Generated from ${runs.length} run(s). Training cost = training + data loading + selection + scoring seconds (evaluation excluded); speed-up = full-data cost / method cost, both measured; ± = sample standard deviation over seeds (n − 1); acc change = method mean − full-data mean, each over all its seeds; flipped = share of samples whose selection changed between consecutive epochs (in brackets: by chance, for uniformly random subsets of the same sizes).</p>
${htmlTable(table)}${adjustForMachine ? `\n<p>${esc(MACHINE_KEY)}</p>` : ''}${pricedKey ? `\n<p>${esc(pricedKey)}</p>` : ''}
<h2>${esc(PAIRED_HEADING.slice(3))}</h2>
<p>${esc(PAIRED_KEY)}</p>
<p>${esc(paired.resolution)}</p>
${budget.length ? `<p><strong>${esc(STEP_BUDGET_HEADING.replace(/\*\*/g, ''))}</strong></p>\n<ul>${budget.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>\n` : ''}${paired.tables.map((t) => `<h3>${esc(t.title)}</h3>\n${htmlTable(t.table)}`).join('\n')}
${htmlRatio}
${spread ? `<h2>${esc(SPREAD_HEADING.slice(3))}</h2>\n<p>${esc(SPREAD_KEY)}</p>\n${htmlTable(spread)}` : ''}
${figs.map((f) => `<figure>${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n')}
</body></html>
`;
  const mdPath = join(dir, 'report.md');
  const htmlPath = join(dir, 'report.html');
  writeFileAtomic(mdPath, md);
  writeFileAtomic(htmlPath, html);
  return { markdown: mdPath, html: htmlPath, summaries: ms, table, stepBudget: budget };
}
