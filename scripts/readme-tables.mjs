#!/usr/bin/env node
// The results tables of README.md and results/README.md, generated from the committed results files, so that no
// number in them is typed by hand. Each table sits between two markers in the Markdown:
//   <!-- dp:table NAME -->
//   ...generated...
//   <!-- /dp:table -->
// and NAME is one of the specs below (which rows, in which order, with which labels). The statistics are
// @dp/experiments' own (the same summarize / pairedDifference as `dp report`): final accuracy mean ± sample std over
// seeds, paired differences by seed with a 95% Student t interval (* when it excludes 0), the share of the data
// really trained, and the speed-up against full data at the full-data runs' machine speed (dp report
// --adjust-machine-speed's "adj. speed-up"). A spec's `costModel` (a `dp probe-cost` JSON) adds the column
// "speed-up (1 machine)" (dp report --cost-model's: every run priced at one machine speed) once that file exists.
//
//   node scripts/readme-tables.mjs           # rewrite the tables in place
//   node scripts/readme-tables.mjs --check   # exit 1 if a table differs from what the results files give
// (DP_README_TABLE_FILES=a.md,b.md: other Markdown files than README.md and results/README.md.)
//
// Needs the built packages (npm run build).
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a !== '--check');
if (unknown.length) {
  console.error(`readme-tables: unknown argument ${unknown[0]}; usage: node scripts/readme-tables.mjs [--check]`);
  process.exit(2);
}
// Loaded after the arguments are checked: @dp/experiments brings the training stack with it (seconds to load).
const { collectRuns, formatDifference, pairedDifference, readCostModel, summarize } = await import('@dp/experiments');

/** A row: the method (policy, ratio, options that differ from its defaults) and how the table names it. */
const row = (policy, ratio, label, extra = {}) => ({ policy, ratio, label, options: {}, ...extra });

const SPECS = {
  // Issue 22's screening sweep: Fashion-MNIST, cnn-small, 20 epochs, validation accuracy.
  'screening-fmnist': {
    results: 'results/screening-fmnist.jsonl',
    epochs: 20,
    accuracy: 'val acc (%)',
    columns: ['seeds', 'data', 'acc', 'vsFull', 'vsEqualSteps'],
    rows: [
      row('full', 0, 'full data'),
      row('equal-steps', 0.5, 'equal steps @ 0.5'),
      row('repb', 0.5, '**RePB @ 0.5** (recommended)', { bold: true }),
      row('reweighted-pool', 0.5, 'reweighted-pool @ 0.5 (ours)'),
      row('random', 0.5, 'uniform random @ 0.5'),
      row('seta', 0.5, 'SeTa @ 0.5'),
      row('infobatch', 0.5, 'InfoBatch r = 0.5'),
      // InfoBatch at r = 0.7 trains about half the data: compared with equal steps at the ratio of its data share.
      row('infobatch', 0.7, 'InfoBatch r = 0.7', { equalStepsAt: 0.5 }),
      row('orderdp', 0.5, 'OrderDP @ 0.5'),
      row('epsilon-greedy', 0.5, 'ε-greedy @ 0.5'),
      row('ucb', 0.5, 'UCB @ 0.5'),
      row('equal-steps', 0.7, 'equal steps @ 0.7'),
      row('repb', 0.7, '**RePB @ 0.7**', { bold: true }),
      row('reweighted-pool', 0.7, 'reweighted-pool, no tail @ 0.7 (ours)', { options: { tailBudget: 0 } }),
      row('seta', 0.7, 'SeTa @ 0.7'),
      row('orderdp', 0.7, 'OrderDP @ 0.7'),
      row('random', 0.7, 'uniform random @ 0.7'),
      row('ucb', 0.7, 'UCB @ 0.7'),
    ],
  },
  // The same sweep with every method and option variant, and the difference to uniform random (results/README.md).
  'screening-fmnist-all': {
    results: 'results/screening-fmnist.jsonl',
    epochs: 20,
    accuracy: 'val acc (%)',
    columns: ['seeds', 'data', 'acc', 'vsFull', 'vsEqualSteps', 'vsRandom'],
    rows: [
      row('full', 0, 'full data'),
      ...[0.5, 0.7].flatMap((r) => [
        row('equal-steps', r, `equal steps @ ${r}`),
        row('repb', r, `**RePB @ ${r}**`, { bold: true }),
        row('reweighted-pool', r, `reweighted-pool @ ${r}`),
        row('reweighted-pool', r, `reweighted-pool, tailBudget 0 @ ${r}`, { options: { tailBudget: 0 } }),
        row('infobatch', r, `InfoBatch r = ${r}`),
        row('seta', r, `SeTa @ ${r}`),
        row('orderdp', r, `OrderDP @ ${r}`),
        row('importance', r, `importance @ ${r}`),
        row('random', r, `random @ ${r}`),
        row('epsilon-greedy', r, `ε-greedy @ ${r} (constant / linear decay)`, { or: { epsilonSchedule: 'linear' } }),
        row('ucb', r, `UCB @ ${r} (EMA-std / count bonus)`, { or: { bonus: 'count' } }),
        row('ramp', r, `ramp @ ${r} (slope 0.5 / 0.9)`, { or: { ramp: 0.9 } }),
      ]),
    ],
  },
  // Issue 23's campaign: CIFAR-10 (JPEG), resnet20, 80 epochs, test accuracy.
  'cifar10-resnet20': {
    results: 'results/cifar10-resnet20.jsonl',
    epochs: 80,
    accuracy: 'test acc (%)',
    columns: ['seeds', 'data', 'acc', 'vsFull', 'vsEqualSteps', 'vsRandom', 'pricedSpeedup', 'published'],
    // The quiet probe of this protocol (dp probe-cost): the pricedSpeedup column appears once it is committed.
    costModel: 'results/cifar10-resnet20-cost.json',
    // published: the drop a paper reports for ResNet-18 on CIFAR-10 (full data 95.6%), one run per cell: random,
    // ε-greedy and UCB as later papers' tables give them (InfoBatch's Table 1, OrderDP's), InfoBatch its own Table 1,
    // RePB its own (95.4 / 94.9). Other model, epochs and data: only the drops compare.
    rows: [
      row('full', 0, 'full data', { published: '(95.6)' }),
      row('equal-steps', 0.5, 'equal steps @ 0.5'),
      row('repb', 0.5, '**RePB @ 0.5** (recommended)', { bold: true, published: '−0.2' }),
      row('reweighted-pool', 0.5, 'reweighted-pool @ 0.5 (ours)'),
      row('random', 0.5, 'uniform random @ 0.5', { published: '−1.1' }),
      row('infobatch', 0.7, 'InfoBatch r = 0.7', { equalStepsAt: 0.5, randomAt: 0.5, published: '−0.9' }),
      row('infobatch', 0.5, 'InfoBatch r = 0.5', { published: '−0.5' }),
      row('importance', 0.5, 'importance @ 0.5 (ours)'),
      row('epsilon-greedy', 0.5, 'ε-greedy @ 0.5', { published: '−0.7' }),
      row('ucb', 0.5, 'UCB @ 0.5', { published: '−0.9' }),
      row('static', 0.5, 'static EL2N @ 0.5 (scoring counted)'),
      row('equal-steps', 0.7, 'equal steps @ 0.7'),
      row('repb', 0.7, '**RePB @ 0.7**', { bold: true, published: '−0.7' }),
      row('reweighted-pool', 0.7, 'reweighted-pool, no tail @ 0.7 (ours)', { options: { tailBudget: 0 } }),
      row('random', 0.7, 'uniform random @ 0.7', { published: '−2.6' }),
      row('importance', 0.7, 'importance @ 0.7 (ours)'),
      row('epsilon-greedy', 0.7, 'ε-greedy @ 0.7', { published: '−1.5' }),
      row('ucb', 0.7, 'UCB @ 0.7', { published: '−1.7' }),
      row('static', 0.7, 'static EL2N @ 0.7 (scoring counted)'),
    ],
  },
};

const HEAD = {
  seeds: 'seeds',
  data: 'data',
  vsFull: 'Δ vs full',
  vsEqualSteps: 'Δ vs equal steps',
  vsRandom: 'Δ vs random',
  speedup: 'speed-up (adj.)',
  pricedSpeedup: 'speed-up (1 machine)',
  published: 'published ResNet-18 Δ',
};

/** A paired difference as '+0.12 [−0.14, +0.37]' (* when the interval excludes 0), with the pair count if partial. */
function difference(a, b, seeds) {
  if (!b) return 'not run yet';
  const bySeed = (m) => new Map(m.runs.map((r) => [r.config.seed, r.finalAccuracy]));
  return formatDifference(pairedDifference(bySeed(a), bySeed(b)) ?? 'none', false, { seeds, unicodeMinus: true });
}

const sameOptions = (m, options) => JSON.stringify(sortKeys(m.options)) === JSON.stringify(sortKeys(options));
function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
}

/** Each results file (with its cost model) is read and summarised once, however many tables show it. */
const summaries = new Map();
function summaryOf(results, costModelFile) {
  const key = JSON.stringify([results, costModelFile ?? null]);
  if (!summaries.has(key)) {
    const costPath = costModelFile && join(root, costModelFile);
    const costModel = costPath && existsSync(costPath) ? readCostModel(costPath) : undefined;
    const methods = summarize(collectRuns([join(root, results)]), costModel ? { costModel } : {});
    summaries.set(key, { costModel, methods });
  }
  return summaries.get(key);
}

function table(name) {
  const spec = SPECS[name];
  if (!spec) throw new Error(`no table spec named "${name}" (known: ${Object.keys(SPECS).join(', ')})`);
  const { costModel, methods } = summaryOf(spec.results, spec.costModel);
  const columns = spec.columns.filter((c) => c !== 'pricedSpeedup' || costModel);
  // Filtered after summarize: an equal-steps run trains fewer epochs and stands for the E-epoch setting it matches.
  const ms = methods.filter((m) => m.epochs === spec.epochs);
  const find = (policy, ratio, options = {}) =>
    ms.find((m) => m.policy === policy && (policy === 'full' || m.pruneRatio === ratio) && sameOptions(m, options));
  const full = find('full', 0);
  const head = ['method @ ratio', ...columns.map((c) => (c === 'acc' ? spec.accuracy : HEAD[c]))];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---|').join('')}`];
  for (const r of spec.rows) {
    const variants = [r.options, ...(r.or ? [r.or] : [])].map((o) => find(r.policy, r.ratio, o));
    if (variants.some((m) => !m)) continue; // not run yet: the table grows as the campaign lands
    const cells = variants.map((m) => rowCells(columns, r, m, full, find));
    // Two variants side by side: 'a / b' per cell, once where both are the same share of data.
    const joined = cells[0].map((c, i) =>
      columns[i] === 'data' && cells.every((cs) => cs[i] === c) ? c : cells.map((cs) => cs[i]).join(' / '),
    );
    lines.push(`| ${r.label} | ${joined.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One method's cells, in the spec's column order. */
function rowCells(columns, r, m, full, find) {
  const n = m.seeds.length;
  return columns.map((c) => {
    switch (c) {
      case 'seeds':
        return String(n);
      case 'data':
        return `${(100 * m.trainedFraction).toFixed(1).replace(/\.0$/, '')}%`;
      case 'acc': {
        const acc = `${(100 * m.accuracy.mean).toFixed(2)}${n > 1 ? ` ± ${(100 * m.accuracy.std).toFixed(2)}` : ''}`;
        return r.bold ? `**${acc}**` : acc;
      }
      case 'vsFull':
        return r.policy === 'full' ? '–' : difference(m, full, n);
      case 'vsEqualSteps':
        return r.policy === 'full' || r.policy === 'equal-steps'
          ? '–'
          : difference(m, find('equal-steps', r.equalStepsAt ?? r.ratio), n);
      case 'vsRandom':
        return r.policy === 'full' || r.policy === 'random'
          ? '–'
          : difference(m, find('random', r.randomAt ?? r.ratio), n);
      case 'speedup': {
        const s = m.adjustedSpeedup ?? m.speedup;
        return s === undefined ? '–' : `${s.toFixed(2)}×`;
      }
      case 'pricedSpeedup':
        return m.pricedSpeedup === undefined ? '–' : `${m.pricedSpeedup.toFixed(2)}×`;
      case 'published':
        return r.published ?? '–';
      default:
        throw new Error(`unknown column ${c}`);
    }
  });
}

const MARK = /<!-- dp:table ([\w-]+) -->\n[\s\S]*?<!-- \/dp:table -->/g;
let stale = 0;
for (const file of (process.env.DP_README_TABLE_FILES ?? 'README.md,results/README.md').split(',')) {
  const path = resolve(root, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(MARK, (_, name) => `<!-- dp:table ${name} -->\n${table(name)}\n<!-- /dp:table -->`);
  if (next === text) continue;
  if (check) {
    stale++;
    console.error(
      `readme-tables: ${file} has tables that differ from the results files; run node scripts/readme-tables.mjs`,
    );
  } else {
    writeFileSync(`${path}.tmp`, next);
    renameSync(`${path}.tmp`, path);
    console.log(`readme-tables: updated ${file}`);
  }
}
process.exit(stale ? 1 : 0);
