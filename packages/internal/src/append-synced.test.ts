import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSynced } from './append-synced.js';
import { FileWriteError } from './atomic-write.js';
import { countingFileSystem, FAULTS, faultEveryCall } from './faulty-fs.js';
import { nodeFileSystem } from './node-fs.js';

const root = mkdtempSync(join(tmpdir(), 'dp-append-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => mkdtempSync(join(root, `d${dirs++}-`));

describe('appendFileSynced', () => {
  it('creates or appends text, bytes and chunks, and fsyncs each append', () => {
    const path = join(freshDir(), 'log.jsonl');
    const { fs, calls } = countingFileSystem();
    appendFileSynced(path, 'a\n', { fs });
    appendFileSynced(path, new Uint8Array([0x62, 0x0a]), { fs });
    appendFileSynced(path, [new Uint8Array([0x63]), new Uint8Array(0), new Uint8Array([0x0a])], { fs });
    expect(readFileSync(path, 'utf8')).toBe('a\nb\nc\n');
    expect(calls.fsync).toBe(3);
    expect(calls.truncate).toBe(0);
  });

  it('continues short writes to the last byte [27:1.atomic-helpers]', () => {
    const path = join(freshDir(), 'results.jsonl');
    writeFileSync(path, 'kept\n');
    const line = `${'x'.repeat(999)}\n`;
    appendFileSynced(path, line, {
      fs: { ...nodeFileSystem, write: (fd, d) => nodeFileSystem.write(fd, d.subarray(0, 7)) },
    });
    expect(readFileSync(path, 'utf8')).toBe(`kept\n${line}`);
  });

  it.each(FAULTS)(
    'a %s fault at any call leaves the file as it was (no half line) and one FileWriteError naming the path [27:1.atomic-helpers]',
    (fault) => {
      const dir = freshDir();
      const path = join(dir, 'log.jsonl');
      const before = '{"type":"start"}\n';
      const data = [new Uint8Array(300).fill(0x61), new Uint8Array(300).fill(0x62)];
      const faults = faultEveryCall(
        fault,
        ['open', 'write', 'fsync'],
        (fs) => {
          writeFileSync(path, before);
          appendFileSynced(path, data, { fs });
        },
        (error, where) => {
          expect(FileWriteError.isInstance(error), where).toBe(true);
          const e = error as FileWriteError;
          expect(e.path).toBe(path);
          expect(e.message).toContain(path);
          expect(e.code).toBe(fault === 'erofs' ? 'EROFS' : 'ENOSPC');
          expect(readFileSync(path, 'utf8'), where).toBe(before);
          expect(readdirSync(dir)).toEqual(['log.jsonl']);
        },
        () => expect(readFileSync(path, 'utf8')).toBe(before + 'a'.repeat(300) + 'b'.repeat(300)),
      );
      expect(faults).toBe(4); // the open, each of the two writes, the fsync
    },
  );
});
