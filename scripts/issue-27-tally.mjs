// Issue 27's final count: runs every test tagged with one of the issue's cases ([27:<id>], listed in
// apps/cli/src/issue-27-cases.json; apps/cli/src/issue-27-cases.test.ts checks the mapping) and prints, per kind of
// case (bad input, fault injection, kill, default) and in all, "N cases: S silent, T stack traces, L lost". A case
// counts under the worst outcome of its tests; a bad-input table row says its own outcome ('silent', 'stack trace',
// 'lost', 'unclear') when it fails, any other failing test counts as 'failing'. Run from the repository root after a
// build (`npx turbo run build`); it trains small models, so give it a few quiet minutes:
//   node scripts/issue-27-tally.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const list = JSON.parse(readFileSync('apps/cli/src/issue-27-cases.json', 'utf8'));
const cases = list.groups.flatMap((g) => g.cases);

// The test files that carry a tag.
const files = [];
for (const top of ['packages', 'apps']) {
  for (const pkg of readdirSync(top)) {
    const walk = (dir) => {
      let entries;
      try {
        entries = readdirSync(dir);
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e);
        if (e.endsWith('.test.ts')) {
          if (/\[27:[1-9K]\.[\w-]+\]|'27:[1-9K]\.[\w-]+'/.test(readFileSync(p, 'utf8'))) files.push(p);
        } else if (!e.includes('.') && e !== 'node_modules' && e !== 'dist') walk(p);
      }
    };
    walk(join(top, pkg, 'src'));
  }
}

const out = mkdtempSync(join(tmpdir(), 'dp-issue-27-'));
const json = join(out, 'vitest.json');
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`, '-t', '\\[27:', ...files],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
let report;
try {
  report = JSON.parse(readFileSync(json, 'utf8'));
} catch {
  console.error(`issue-27-tally: vitest wrote no report (exit ${run.status}); see its output above`);
  process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
}

// Each tagged test's outcome.
const WORST = ['stack trace', 'silent', 'lost', 'unclear', 'failing', 'skipped', 'clear'];
const tests = [];
for (const file of report.testResults) {
  for (const t of file.assertionResults) {
    const ids = [...t.fullName.matchAll(/\[27:([1-9K]\.[\w-]+)\]/g)].map((m) => m[1]);
    if (!ids.length) continue;
    let outcome = 'clear';
    if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') outcome = 'skipped';
    else if (t.status !== 'passed') {
      const said = /expected '(stack trace|silent|lost|unclear)' to be 'clear'/.exec(t.failureMessages.join('\n'));
      outcome = said ? said[1] : 'failing';
    }
    tests.push({ name: t.fullName, ids, outcome, table: file.name.endsWith('hostile.test.ts') });
  }
}

const worst = (outcomes) => outcomes.reduce((a, b) => (WORST.indexOf(b) < WORST.indexOf(a) ? b : a), 'clear');
const byCase = cases.map((c) => {
  const its = tests.filter((t) => t.ids.includes(c.id));
  const ran = its.filter((t) => t.outcome !== 'skipped');
  return {
    ...c,
    tests: its.length,
    outcome: its.length === 0 ? 'failing' : ran.length ? worst(ran.map((t) => t.outcome)) : 'skipped',
  };
});

const line = (items) => {
  const n = (o) => items.filter((x) => x.outcome === o).length;
  const rest = [
    n('unclear') && `${n('unclear')} unclear`,
    n('failing') && `${n('failing')} failing`,
    n('skipped') && `${n('skipped')} skipped`,
  ].filter(Boolean);
  return `${n('silent')} silent, ${n('stack trace')} stack traces, ${n('lost')} lost${rest.length ? ` (${rest.join(', ')})` : ''}`;
};
console.log('\nissue 27, case by case:');
for (const c of byCase) if (c.outcome !== 'clear') console.log(`  ${c.id}: ${c.outcome} (${c.tests} tests)`);
for (const t of tests)
  if (t.outcome !== 'clear' && t.outcome !== 'skipped') console.log(`  test ${t.outcome}: ${t.name}`);
const rows = tests.filter((t) => t.table);
console.log(`  bad-input table (apps/cli/src/hostile.test.ts): ${rows.length} tagged tests: ${line(rows)}`);
console.log(`  all tagged tests: ${tests.length}: ${line(tests)}`);
for (const kind of ['bad input', 'fault injection', 'kill', 'default']) {
  const of = byCase.filter((c) => c.kind === kind);
  console.log(`  ${kind}: ${of.length} cases: ${line(of)}`);
}
console.log(`${byCase.length} cases: ${line(byCase)}`);
process.exit(byCase.every((c) => c.outcome === 'clear') ? 0 : 1);
