import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
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
    optimizer: { iterations: 10 * epoch, slots: [{ name: 'w/momentum', shape: [2, 2], values: Float32Array.from([0.5, 0, 0, epoch]) }] },
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

  it('a full disk while writing leaves the previous checkpoint intact and no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(1));
    let calls = 0;
    const full = () => {
      if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    expect(() => writeCheckpoint(dir, data(2), { write: full })).toThrow(TrainError);
    expect(() => writeCheckpoint(dir, data(2), { write: full })).toThrow(/disk is full \(ENOSPC\); the previous checkpoint \(epoch 2\) is intact/);
    expect(readCheckpoint(dir)!.epoch).toBe(1);
    expect(readdirSync(dir)).toEqual(['checkpoint']);
  });

  it('uses the previous checkpoint if a crash came between the final renames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(3));
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.previous'));
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
    expect(readCheckpoint(dir)!.epoch).toBe(3);
  });

  it('keeps the only loadable checkpoint through a second crash between renames, and clears crashed writers\' folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-'));
    writeCheckpoint(dir, data(3));
    const { mkdirSync, renameSync } = await import('node:fs');
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.previous')); // first crash: only 'previous' is left
    mkdirSync(join(dir, 'checkpoint.tmp-999999')); // and a crashed writer's temporary folder
    const crash = (from: string, to: string) => {
      if (to.endsWith('checkpoint')) throw new Error('killed');
      renameSync(from, to);
    };
    expect(() => writeCheckpoint(dir, data(4), { rename: crash })).toThrow(/the previous checkpoint \(epoch 4\) is intact/);
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
    expect(() => readCheckpoint(dir)).toThrow(/tensors.bin has 8 bytes, the manifest says 32 \(corrupt checkpoint\)/);
  });
});
