import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPath, describeFsError } from './fs.js';

describe('output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-fs-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');

  it('refuses, before any work, paths that cannot be created, naming the flag and the fix', () => {
    expect(() => checkOutputPath(file, 'dir', '--out')).toThrow(`--out ${file} is a file, expected a directory; fix: choose another --out`);
    expect(() => checkOutputPath(dir, 'file', '--results')).toThrow(`--results ${dir} is a directory, expected a file path; fix: choose another --results`);
    expect(() => checkOutputPath(join(file, 'sub', 'x.dpscore'), 'file', '--out')).toThrow(`cannot be created: ${file} is not a directory`);
    // Paths that can be created pass, however deep.
    checkOutputPath(join(dir, 'new', 'deeper', 'run'), 'dir', '--out');
    checkOutputPath(join(dir, 'new', 'x.jsonl'), 'file', '--results');
    checkOutputPath(dir, 'dir', '--out');
  });

  it('turns a file-system error into one line with the path and the code', () => {
    let caught: unknown;
    try {
      mkdirSync(join(file, 'x'), { recursive: true });
    } catch (e) {
      caught = e;
    }
    expect(describeFsError(caught)).toMatch(new RegExp(`^cannot mkdir .*${file}.*: ENOTDIR \\(not a directory\\); fix: `));
    expect(describeFsError(new Error('plain'))).toBeUndefined();
  });
});
