import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = join(root, 'scripts/readme-tables.mjs');

describe('scripts/readme-tables.mjs', () => {
  it('the committed README tables are what the committed results files give (run the script after new results)', () => {
    const r = spawnSync(process.execPath, [script, '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('--check fails on a table edited by hand, and a rewrite restores it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-readme-tables-'));
    try {
      const file = join(dir, 'x.md');
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const block = readme.match(/<!-- dp:table screening-fmnist -->\n[\s\S]*?<!-- \/dp:table -->/)![0];
      writeFileSync(file, `intro\n\n${block.replace('92.50 ± 0.32', '93.00 ± 0.10')}\n\nafter\n`);
      const env = { ...process.env, DP_README_TABLE_FILES: file };
      const stale = spawnSync(process.execPath, [script, '--check'], { cwd: root, encoding: 'utf8', env });
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain('differ from the results files');
      execFileSync(process.execPath, [script], { cwd: root, env });
      expect(readFileSync(file, 'utf8')).toBe(`intro\n\n${block}\n\nafter\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown argument is one usage line, exit 2', () => {
    const r = spawnSync(process.execPath, [script, '--chek'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('usage: node scripts/readme-tables.mjs [--check]');
  });
});
