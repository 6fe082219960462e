import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriteError, writeFileAtomic } from './atomic-write.js';
import { countingFileSystem, FAULTS, faultyFileSystem } from './faulty-fs.js';
import { nodeFileSystem } from './node-fs.js';

const root = mkdtempSync(join(tmpdir(), 'dp-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => mkdtempSync(join(root, `d${dirs++}-`));

describe('writeFileAtomic', () => {
  it('writes bytes, text and chunks; fsyncs the file and the directory', () => {
    const dir = freshDir();
    const { fs, calls } = countingFileSystem();
    writeFileAtomic(join(dir, 'a'), 'text', { fs });
    writeFileAtomic(join(dir, 'b'), new Uint8Array([1, 2, 3]), { fs });
    writeFileAtomic(join(dir, 'c'), [new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])], { fs });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('text');
    expect([...readFileSync(join(dir, 'b'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'c'))]).toEqual([1, 2, 3]);
    expect(calls.fsync).toBe(6); // each file, then its directory
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'c']);
  });

  it('continues short writes to the last byte [27:1.atomic-helpers]', () => {
    const dir = freshDir();
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
    writeFileAtomic(join(dir, 'f'), data, {
      fs: { ...nodeFileSystem, write: (fd, d) => nodeFileSystem.write(fd, d.subarray(0, 7)) },
    });
    expect(new Uint8Array(readFileSync(join(dir, 'f')))).toEqual(data);
  });

  it.each(FAULTS)(
    'a %s fault at any call leaves the previous file intact, no temporary file, and one FileWriteError naming the path [27:1.atomic-helpers] [27:1.config] [27:8.config-tmp-after-enospc]',
    (fault) => {
      const dir = freshDir();
      const path = join(dir, 'state.json');
      writeFileSync(path, 'previous good');
      const data = [new Uint8Array(300).fill(1), new Uint8Array(300).fill(2)];
      for (const call of ['open', 'write', 'fsync', 'rename'] as const) {
        for (let at = 0; ; at++) {
          const fs = faultyFileSystem(call, at, fault);
          let error: unknown;
          try {
            writeFileAtomic(path, data, { fs });
          } catch (e) {
            error = e;
          }
          if (!fs.injected()) {
            expect(error).toBeUndefined();
            writeFileSync(path, 'previous good');
            break;
          }
          expect(FileWriteError.isInstance(error), `${call} #${at}`).toBe(true);
          const e = error as FileWriteError;
          expect(e.path).toBe(path);
          expect(e.message).toContain(path);
          expect(e.code).toBe(fault === 'erofs' ? 'EROFS' : 'ENOSPC');
          expect(e.fix).toMatch(fault === 'erofs' ? /writable location/ : /free space/);
          // The directory's open and fsync (the second of each) come after the rename: the new file is complete and in
          // place, but its durability is unknown, so the write still fails. Every earlier fault keeps the previous file.
          const afterRename = (call === 'open' || call === 'fsync') && at === 1;
          expect(readFileSync(path, 'utf8')).toBe(
            afterRename ? '\x01'.repeat(300) + '\x02'.repeat(300) : 'previous good',
          );
          expect(readdirSync(dir)).toEqual(['state.json']);
          writeFileSync(path, 'previous good');
        }
      }
    },
  );
});
