// Fault injection on the score-file write path (issue 25/27): a short write that then finds the disk full, ENOSPC and
// EROFS at every open, write, fsync and rename of a write, one at a time. Each must raise exactly one ScoreError with a
// fix naming the path, leave the previous score file intact (or, for the directory fsync after the rename, the new
// file complete), and leave no temporary file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, faultyFileSystem } from '@dp/internal/faulty-fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ScoreError } from './errors.js';
import { datasetFingerprint } from './fingerprint.js';
import { readScoreFile, writeScoreFile } from './score-file-io.js';
import type { ScoreFileHeaderInput } from './score-file.js';

const n = 3000;
const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
const header: ScoreFileHeaderInput = {
  method: 'el2n',
  protocol: { epochs: 20, runs: 2, model: 'cnn-small', seeds: [1, 2], batchSize: 128 },
  dataset: { name: 'toy', size: n, fingerprint: datasetFingerprint(labels, n, 'toy') },
  seconds: 1,
};
const root = mkdtempSync(join(tmpdir(), 'dp-score-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('score-file writes under injected faults', () => {
  it.each(FAULTS)(
    '%s at every call: one ScoreError, the previous file intact, no temporary file [27:1.score-file]',
    async (fault) => {
      const dir = mkdtempSync(join(root, `${fault}-`));
      const path = join(dir, 'el2n.dpscore');
      const before = Float32Array.from({ length: n }, (_, i) => i / n);
      await writeScoreFile(path, header, before);
      const good = readFileSync(path);
      let injected = 0;
      for (const call of ['open', 'write', 'fsync', 'rename'] as const) {
        for (let at = 0; ; at++) {
          const fs = faultyFileSystem(call, at, fault);
          const after = Float32Array.from({ length: n }, (_, i) => 1 - i / n);
          const outcome = await writeScoreFile(path, header, after, { fs }).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (!fs.injected()) {
            expect(outcome).toBeUndefined();
            // Back to the previous file for the next kind of call.
            await writeScoreFile(path, header, before);
            break;
          }
          injected++;
          const where = `${fault} at ${call} #${at}`;
          expect(outcome, where).toBeInstanceOf(ScoreError);
          expect((outcome as ScoreError).message, where).toContain(path);
          expect((outcome as ScoreError).fix.length, where).toBeGreaterThan(0);
          // The directory's open and fsync (the second of each) come after the rename: the new file is complete and in place, but its
          // durability is unknown, so the write still fails. Every earlier fault keeps the previous file byte for byte.
          if ((call === 'fsync' || call === 'open') && at === 1)
            expect(Array.from((await readScoreFile(path)).scores), where).toEqual(Array.from(after));
          else expect(readFileSync(path).equals(good), where).toBe(true);
          if (!readFileSync(path).equals(good)) await writeScoreFile(path, header, before);
          expect(readdirSync(dir), where).toEqual(['el2n.dpscore']);
        }
      }
      expect(injected).toBeGreaterThanOrEqual(4);
      expect(Array.from((await readScoreFile(path)).scores)).toEqual(Array.from(before));
    },
  );
});
