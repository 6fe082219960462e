import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 27's cases (issue-27-cases.json, transcribed from the issue) against the tests that cover them: a test covers a
 * case by carrying its tag, [27:<id>], in its name (or '27:<id>' in a hostile.test.ts row's `cases`). Every case must
 * have a test and every tag a case. scripts/issue-27-tally.mjs runs the tagged tests and counts the outcomes.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
interface Case {
  id: string;
  kind: string;
  case: string;
}
const list = JSON.parse(readFileSync(join(repo, 'apps', 'cli', 'src', 'issue-27-cases.json'), 'utf8')) as {
  groups: { group: string; cases: Case[] }[];
};
const cases = list.groups.flatMap((g) => g.cases);

/** Every test file of the packages and apps, with the issue-27 tags it carries. */
function tags(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const top of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(repo, top))) {
      const walk = (dir: string) => {
        let entries: string[];
        try {
          entries = readdirSync(dir);
        } catch {
          return;
        }
        for (const e of entries) {
          if (e === 'node_modules' || e === 'dist') continue;
          const p = join(dir, e);
          if (e.endsWith('.test.ts')) {
            for (const m of readFileSync(p, 'utf8').matchAll(/\[27:([1-9K]\.[\w-]+)\]|'27:([1-9K]\.[\w-]+)'/g)) {
              const id = m[1] ?? m[2]!;
              found.set(id, [...(found.get(id) ?? []), p.slice(repo.length + 1)]);
            }
          } else if (!e.includes('.')) walk(p);
        }
      };
      walk(join(repo, top, pkg, 'src'));
    }
  }
  return found;
}

describe("issue 27's cases", () => {
  it('are listed once each, grouped as the issue groups them (defects 1 to 9, then the kills)', () => {
    expect(list.groups.map((g) => g.group)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'K']);
    for (const g of list.groups) {
      expect(g.cases.length, g.group).toBeGreaterThan(0);
      for (const c of g.cases) {
        expect(c.id).toMatch(new RegExp(`^${g.group}\\.[a-z0-9-]+$`));
        expect(['bad input', 'fault injection', 'kill', 'default']).toContain(c.kind);
        expect(c.case.length, c.id).toBeGreaterThan(10);
      }
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('each have a test that carries their tag, and every tag names a listed case', () => {
    const found = tags();
    expect(cases.filter((c) => !found.has(c.id)).map((c) => c.id)).toEqual([]);
    const known = new Set(cases.map((c) => c.id));
    expect([...found.keys()].filter((id) => !known.has(id))).toEqual([]);
  });
});
