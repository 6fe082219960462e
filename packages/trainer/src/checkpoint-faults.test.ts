// Fault injection on the checkpoint write path (issue 25/27): a short write that then finds the disk full, ENOSPC and
// EROFS at every open, write, fsync and rename of a checkpoint write, one at a time. Each must raise exactly one
// TrainError with a fix and leave a loadable checkpoint (the previous one, unless the fault came after the new one was
// complete and in place) and no temporary folder.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, faultyFileSystem } from '@dp/internal/faulty-fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from './checkpoint.js';
import { TrainError } from './errors.js';

const root = mkdtempSync(join(tmpdir(), 'dp-ckpt-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function data(epoch: number): CheckpointData {
  const values = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i + epoch));
  return {
    epoch,
    fingerprint: 'f',
    weights: [{ name: 'w', shape: [50, 100], values }],
    optimizer: { iterations: 10 * epoch, slots: [{ name: 'm', shape: [50, 100], values: values.map((v) => v / 2) }] },
    pruner: { version: 1, epoch },
    extra: { note: 'x'.repeat(2000) },
  };
}

describe('checkpoint writes under injected faults', () => {
  it.each(FAULTS)(
    '%s at every call: one TrainError, a loadable checkpoint, no temporary folder [27:1.checkpoint-short-write] [27:1.checkpoint-full-disk]',
    (fault) => {
      let injected = 0;
      for (const call of ['open', 'write', 'fsync', 'rename'] as const) {
        for (let at = 0; ; at++) {
          const dir = mkdtempSync(join(root, `${fault}-${call}-${at}-`));
          writeCheckpoint(dir, data(1));
          const fs = faultyFileSystem(call, at, fault);
          let error: unknown;
          try {
            writeCheckpoint(dir, data(2), { fs });
          } catch (e) {
            error = e;
          }
          if (!fs.injected()) {
            expect(error).toBeUndefined();
            break;
          }
          injected++;
          const where = `${fault} at ${call} #${at}`;
          expect(error, where).toBeInstanceOf(TrainError);
          expect((error as TrainError).message, where).toMatch(
            /^could not write the checkpoint for epoch 3 in .*; fix: .+/,
          );
          const back = readCheckpoint(dir)!;
          // Faults before the new checkpoint is complete (every write) keep the previous one; a later fault (the
          // directory's fsync after the renames) may leave the new one in place, complete.
          if (call === 'write') expect(back.epoch, where).toBe(1);
          expect([...back.weights[0]!.values], where).toEqual([...data(back.epoch).weights[0]!.values]);
          expect(
            readdirSync(dir).filter((f) => f.startsWith('checkpoint.tmp-')),
            where,
          ).toEqual([]);
        }
      }
      expect(injected).toBeGreaterThan(6);
    },
  );
});
