import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'dp.mjs');

/** Per-epoch selection hashes of a `dp train` run recorded before a refactor: the run's selections must not change. */
interface Recorded {
  recorded: string;
  args: string[];
  epochs: { epoch: number; samples: number; selectionHash: string }[];
}

describe('dp train selections', () => {
  it('are those of the run recorded before the experiment layer moved into @dp/experiments', () => {
    const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'selection-hashes-ucb.json'), 'utf8')) as Recorded;
    const out = join(mkdtempSync(join(tmpdir(), 'dp-hashes-')), 'run');
    const r = spawnSync(process.execPath, [bin, ...fixture.args, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const epochs = readFileSync(join(out, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch: number; samples: number; selectionHash: string })
      .filter((l) => l.type === 'epoch')
      .map(({ epoch, samples, selectionHash }) => ({ epoch, samples, selectionHash }));
    expect(epochs).toEqual(fixture.epochs);
  });
});
