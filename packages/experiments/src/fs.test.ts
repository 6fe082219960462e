import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, faultEveryCall } from '@dp/internal/faulty-fs';
import { describe, expect, it } from 'vitest';
import { appendFileExplained, checkOutputPath, describeFsError } from './fs.js';

describe('output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-fs-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');

  it('refuses, before any work, paths that cannot be created, naming the flag and the fix', () => {
    expect(() => checkOutputPath(file, 'dir', '--out')).toThrow(
      `--out ${file} is a file, expected a directory; fix: choose another --out`,
    );
    expect(() => checkOutputPath(dir, 'file', '--results')).toThrow(
      `--results ${dir} is a directory, expected a file path; fix: choose another --results`,
    );
    expect(() => checkOutputPath(join(file, 'sub', 'x.dpscore'), 'file', '--out')).toThrow(
      `cannot be created: ${file} is not a directory`,
    );
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
    expect(describeFsError(caught)).toMatch(
      new RegExp(`^cannot mkdir .*${file}.*: ENOTDIR \\(not a directory\\); fix: `),
    );
    expect(describeFsError(new Error('plain'))).toBeUndefined();
  });

  it('names a read-only file system (EROFS) and missing permission before any work, and an empty path [27:7.read-only-fs] [27:7.out-empty]', () => {
    const fail = (code: string) => () => {
      throw Object.assign(new Error(`${code}: ...`), { code });
    };
    expect(() => checkOutputPath(join(dir, 'ro', 'run'), 'dir', '--out', fail('EROFS'))).toThrow(
      `--out ${join(dir, 'ro', 'run')} cannot be written: ${dir} is on a read-only file system (EROFS); fix: choose another --out on a writable file system`,
    );
    expect(() => checkOutputPath(file, 'file', '--results', fail('EACCES'))).toThrow(
      /^--results .* cannot be written: .* is not writable by this user \(EACCES\); fix: /,
    );
    expect(() => checkOutputPath('', 'dir', '--out')).toThrow(
      '--out is empty: expected a directory path; fix: choose another --out',
    );
    expect(() => checkOutputPath(' ', 'file', '--results')).toThrow(
      '--results is empty: expected a file path; fix: choose another --results',
    );
  });

  it('gives every file-system error its path and a fix of its own (ENOSPC, EROFS, EIO) [27:7.enospc-path]', () => {
    const err = (code: string, syscall: string, path?: string) =>
      Object.assign(new Error(`${code}: some words, ${syscall}`), { code, syscall, ...(path ? { path } : {}) });
    expect(describeFsError(err('EROFS', 'open', '/mnt/ro/log.jsonl'))).toBe(
      'cannot open /mnt/ro/log.jsonl: EROFS (some words); fix: the file system (/mnt/ro/log.jsonl) is mounted read-only: choose an output path on a writable one',
    );
    expect(describeFsError(err('ENOSPC', 'write', '/x/r.jsonl'))).toMatch(
      /^cannot write \/x\/r\.jsonl: ENOSPC \(some words\); fix: free space on the file system \(\/x\/r\.jsonl\)/,
    );
    expect(describeFsError(err('EIO', 'fsync'))).toMatch(
      /^cannot fsync: EIO \(some words\); fix: the device reported an I\/O error/,
    );
  });

  it('a full disk (ENOSPC, /dev/full) names the file appended to [27:1.log] [27:7.enospc-path]', () => {
    const d = mkdtempSync(join(tmpdir(), 'dp-fs-full-'));
    // Appends: Node's own error for a failed write has no path; this one has.
    symlinkSync('/dev/full', join(d, 'log.jsonl'));
    let caught: unknown;
    try {
      appendFileExplained(join(d, 'log.jsonl'), 'x\n');
    } catch (e) {
      caught = e;
    }
    expect(describeFsError(caught)).toMatch(
      new RegExp(`^cannot write ${join(d, 'log.jsonl')}: ENOSPC .*; fix: free space`),
    );
    // Appends are whole or not at all (a short write then a full disk, ENOSPC, EROFS at each call): see the next test.
    // Atomic writes (a short write, ENOSPC, EROFS at every open / write / fsync / rename, the target left as it was and
    // no temporary file behind) are tested with an injected file system where the helper lives:
    // packages/internal/src/atomic-write.test.ts, and through the trainer's and scores' write paths.
  });

  it.each(FAULTS)(
    'a %s fault at any call of a log.jsonl append: one line naming the file, the log left as it was (no half record) [27:1.log]',
    (fault) => {
      const d = mkdtempSync(join(tmpdir(), 'dp-fs-append-'));
      const log = join(d, 'log.jsonl');
      const before = '{"type":"start"}\n';
      const record = `${JSON.stringify({ type: 'epoch', epoch: 0, note: 'x'.repeat(500) })}\n`;
      const faults = faultEveryCall(
        fault,
        ['open', 'write', 'fsync'],
        (fs) => {
          writeFileSync(log, before);
          appendFileExplained(log, record, fs);
        },
        (caught, where) => {
          const call = where.split(' ')[0]!;
          expect(describeFsError(caught), where).toMatch(
            new RegExp(`^cannot ${call} ${log}: ${fault === 'erofs' ? 'EROFS' : 'ENOSPC'} \\(.*\\); fix: `),
          );
          expect(readFileSync(log, 'utf8'), where).toBe(before);
          expect(readdirSync(d)).toEqual(['log.jsonl']);
        },
        () => expect(readFileSync(log, 'utf8')).toBe(before + record),
      );
      expect(faults).toBe(3);
    },
  );
});
