import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from './checkpoint.js';
import { TrainError } from './errors.js';

function data(epoch: number): CheckpointData {
  return {
    epoch,
    fingerprint: 'cfg',
    weights: [{ name: 'w', shape: [2, 2], values: Float32Array.from([1, 2, 3, epoch]) }],
    optimizer: {
      iterations: 10 * epoch,
      slots: [{ name: 'w/momentum', shape: [2, 2], values: Float32Array.from([0.5, 0, 0, epoch]) }],
    },
    pruner: { version: 1, epoch },
    extra: { reports: [epoch] },
  };
}

describe('checkpoints', () => {
  it('round-trip weights, optimizer slots, pruner state and extra data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    expect(readCheckpoint(dir)).toBeUndefined();
    writeCheckpoint(dir, data(1));
    writeCheckpoint(dir, data(2));
    const back = readCheckpoint(dir)!;
    expect(back.epoch).toBe(2);
    expect([...back.weights[0]!.values]).toEqual([1, 2, 3, 2]);
    expect(back.optimizer.iterations).toBe(20);
    expect([...back.optimizer.slots[0]!.values]).toEqual([0.5, 0, 0, 2]);
    expect(back.pruner).toEqual({ version: 1, epoch: 2 });
    expect(readdirSync(dir).sort()).toEqual(['checkpoint']);
  });

  it('a full disk while writing leaves the previous checkpoint intact and no temporary files [27:1.checkpoint-full-disk]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(1));
    let calls = 0;
    const full = (_fd: number, d: Uint8Array) => {
      if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return d.length;
    };
    expect(() => writeCheckpoint(dir, data(2), { write: full })).toThrow(TrainError);
    expect(() => writeCheckpoint(dir, data(2), { write: full })).toThrow(
      /disk is full \(ENOSPC\); the previous checkpoint \(epoch 2\) is intact/,
    );
    expect(readCheckpoint(dir)!.epoch).toBe(1);
    expect(readdirSync(dir)).toEqual(['checkpoint']);
  });

  it('uses the previous checkpoint if a crash came between the final renames [27:8.checkpoint-previous-kept]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(3));
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.previous'));
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
    expect(readCheckpoint(dir)!.epoch).toBe(3);
  });

  it("keeps the only loadable checkpoint through a second crash between renames, and clears crashed writers' folders [27:8.checkpoint-previous-kept]", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(3));
    const { mkdirSync, renameSync } = await import('node:fs');
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.previous')); // first crash: only 'previous' is left
    mkdirSync(join(dir, 'checkpoint.tmp-999999')); // and a crashed writer's temporary folder
    const crash = (from: string, to: string) => {
      if (to.endsWith('checkpoint')) throw new Error('killed');
      renameSync(from, to);
    };
    expect(() => writeCheckpoint(dir, data(4), { rename: crash })).toThrow(
      /the previous checkpoint \(epoch 4\) is intact/,
    );
    expect(readCheckpoint(dir)!.epoch).toBe(3);
    writeCheckpoint(dir, data(4));
    expect(readCheckpoint(dir)!.epoch).toBe(4);
    expect(readdirSync(dir)).toEqual(['checkpoint']);
  });

  it('rejects a truncated tensor file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(1));
    const { truncateSync } = await import('node:fs');
    truncateSync(join(dir, 'checkpoint', 'tensors.bin'), 8);
    expect(() => readCheckpoint(dir)).toThrow(
      /damaged: tensors.bin has 8 bytes, the manifest says 32; fix: delete .*checkpoint to restart/,
    );
  });

  it('writes all bytes through short writes, and reports a write that makes no progress as a full disk [27:1.checkpoint-short-write]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    // At most 3 bytes per call: the checkpoint still comes out whole.
    writeCheckpoint(dir, data(1), { write: (fd, d) => writeSync(fd, d.subarray(0, 3)) });
    expect(readCheckpoint(dir)!.weights[0]!.values).toEqual(Float32Array.from([1, 2, 3, 1]));
    // A disk that fills up mid-manifest: short writes, then 0 bytes. The good checkpoint stays, no truncated one
    // replaces it (the defect: a 65,536-of-79,583-byte manifest renamed into place).
    let budget = 100;
    const filling = (fd: number, d: Uint8Array) => {
      const n = Math.min(d.length, budget, 7);
      budget -= n;
      return n === 0 ? 0 : writeSync(fd, d.subarray(0, n));
    };
    expect(() => writeCheckpoint(dir, data(2), { write: filling })).toThrow(
      /disk is full \(ENOSPC\); the previous checkpoint \(epoch 2\) is intact/,
    );
    expect(readCheckpoint(dir)!.epoch).toBe(1);
    expect(readdirSync(dir)).toEqual(['checkpoint']);
  });

  it('refuses a damaged checkpoint: a flipped tensor byte, an edited manifest field, a missing tensor file [27:2.flipped-weight-byte] [27:2.manifest-fields-vs-run] [27:7.tensors-bin-missing]', () => {
    const fresh = () => {
      const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
      writeCheckpoint(dir, data(1));
      return dir;
    };
    let dir = fresh();
    const bin = join(dir, 'checkpoint', 'tensors.bin');
    const bytes = readFileSync(bin);
    bytes[5]! ^= 1;
    writeFileSync(bin, bytes);
    expect(() => readCheckpoint(dir)).toThrow(/damaged: tensors.bin does not match its checksum/);

    for (const edit of [
      (m: Record<string, unknown>) => (m.epoch = 10),
      (m: Record<string, unknown>) => (m.epoch = -1),
      (m: Record<string, unknown>) => ((m.pruner as { epoch: number }).epoch = 7),
    ]) {
      dir = fresh();
      const path = join(dir, 'checkpoint', 'manifest.json');
      const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      edit(m);
      writeFileSync(path, JSON.stringify(m));
      expect(() => readCheckpoint(dir)).toThrow(/damaged: manifest.json does not match its checksum/);
    }
    dir = fresh();
    rmSync(join(dir, 'checkpoint', 'tensors.bin'));
    expect(() => readCheckpoint(dir)).toThrow(/damaged: tensors.bin is missing/);
    // A checkpoint folder without its manifest is damaged too, not "no checkpoint" (which would restart the run).
    dir = fresh();
    rmSync(join(dir, 'checkpoint', 'manifest.json'));
    expect(() => readCheckpoint(dir)).toThrow(
      new RegExp(
        `^the checkpoint in ${join(dir, 'checkpoint')} is damaged: manifest.json is missing; fix: delete ${join(dir, 'checkpoint')} to restart`,
      ),
    );
    // With no checkpoint folder at all there is no checkpoint.
    rmSync(join(dir, 'checkpoint'), { recursive: true });
    expect(readCheckpoint(dir)).toBeUndefined();
  });

  it('still reads a version-1 checkpoint (no checksums), validating its layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(2));
    const path = join(dir, 'checkpoint', 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete m.tensorsSha256;
    delete m.manifestSha256;
    writeFileSync(path, JSON.stringify({ ...m, version: 1 }));
    expect(readCheckpoint(dir)!.epoch).toBe(2);
    writeFileSync(path, JSON.stringify({ ...m, version: 1, epoch: -1 }));
    expect(() => readCheckpoint(dir)).toThrow(/damaged: epoch = -1 is not an integer >= 0/);
    writeFileSync(path, JSON.stringify({ ...m, version: 1, bytes: 16 }));
    expect(() => readCheckpoint(dir)).toThrow(/damaged: bytes = 16, the arrays need 32/);
  });
});
