import '@tensorflow/tfjs-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataParallel } from './data-parallel.js';
import { fakeCluster, smallRun } from './fake-cluster.test-util.js';
import { readCheckpoint, train, type TrainResult } from './index.js';
import { StopAgreement } from './stop-agreement.js';

/** Where a worker stopped: the hook that threw, the epoch and step, and the ranks the agreement named. */
interface Stop {
  at: 'batch' | 'epoch';
  epoch: number;
  step: number;
  stopping: readonly number[];
}
class Stopped extends Error {
  constructor(readonly where: Stop) {
    super('stopped');
  }
}

/**
 * Two workers (the same run directory, as with a shared file system) that stop where the agreement says: `ask(rank)`
 * is each worker's local request. Resolves to what each did: its result, or where it stopped.
 */
async function runWorkers(
  dir: string,
  epochs: number,
  ask: (rank: number, seen: { epoch: number; step: number; evaluating: boolean }) => boolean,
): Promise<Array<TrainResult | Stop>> {
  const cluster = fakeCluster(2);
  return Promise.all(
    cluster.map((parallel: DataParallel, rank) => {
      const seen = { epoch: 0, step: 0, evaluating: false };
      const args = smallRun({ epochs, checkpoint: dir });
      return train({
        ...args,
        parallel,
        hooks: {
          stopRequested: () => ask(rank, seen),
          onBatch: (b) => {
            Object.assign(seen, { epoch: b.epoch, step: b.step, evaluating: false });
            if (b.stopping) throw new Stopped({ at: 'batch', epoch: b.epoch, step: b.step, stopping: b.stopping });
          },
          onEvalBatch: () => void (seen.evaluating = true),
          onEpoch: (r, info) => {
            if (info.stopping)
              throw new Stopped({ at: 'epoch', epoch: r.epoch, step: r.steps, stopping: info.stopping });
          },
        },
      })
        .catch((e: unknown) => {
          if (e instanceof Stopped) return e.where;
          throw e;
        })
        .finally(() => args.model.dispose());
    }),
  );
}

const hashesOf = (r: TrainResult | Stop) => (r as TrainResult).epochs.map((e) => e.selectionHash);

describe('stopping a data-parallel run together (2 workers in one process, mlp, Fashion-MNIST)', () => {
  it('a stop asked by one worker mid-epoch stops both after the same step; a resume makes the uninterrupted selections', async () => {
    const reference = smallRun({ epochs: 3 });
    const uninterrupted = await train(reference);
    reference.model.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'dp-stop-'));
    // Only worker 1 is asked to stop, after step 3 of epoch 2; worker 0 never is.
    const stops = await runWorkers(dir, 3, (rank, s) => rank === 1 && s.epoch === 1 && s.step >= 3);
    // The request travels with step 4's all-gather: both workers learn of it there and stop after that step.
    expect(stops).toEqual([
      { at: 'batch', epoch: 1, step: 4, stopping: [1] },
      { at: 'batch', epoch: 1, step: 4, stopping: [1] },
    ]);
    // Rank 0's last checkpoint is the end of epoch 1: the state both workers started epoch 2 from.
    expect(readCheckpoint(dir)?.epoch).toBe(0);

    const resumed = await runWorkers(dir, 3, () => false);
    for (const r of resumed) expect(hashesOf(r)).toEqual(uninterrupted.epochs.map((e) => e.selectionHash));
  }, 180_000);

  it('a stop asked during an evaluation is agreed at the end of that epoch, after its checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-stop-eval-'));
    const stops = await runWorkers(dir, 2, (rank, s) => rank === 0 && s.evaluating);
    expect(stops).toEqual([
      { at: 'epoch', epoch: 0, step: 11, stopping: [0] },
      { at: 'epoch', epoch: 0, step: 11, stopping: [0] },
    ]);
    expect(readCheckpoint(dir)?.epoch).toBe(0);
  }, 120_000);
});

describe('StopAgreement', () => {
  it('names the ranks whose flag a gathered payload carries, in rank order, and keeps them', () => {
    const a = new StopAgreement(() => false);
    expect(a.flag()).toBe(0);
    a.observe(Float64Array.of(9, 9, 0, 9, 9, 0, 9, 9, 0), 3, 2, 3);
    expect(a.stopping).toBeUndefined();
    a.observe(Float64Array.of(9, 9, 0, 9, 9, 1, 9, 9, 1), 3, 2, 3);
    a.observe(Int32Array.of(1, 0, 1), 1, 0, 3);
    expect(a.stopping).toEqual([0, 1, 2]);
    a.observe(Int32Array.of(0, 0, 0), 1, 0, 3);
    expect(a.stopping).toEqual([0, 1, 2]);
    expect(new StopAgreement(() => true).flag()).toBe(1);
    expect(new StopAgreement(undefined).flag()).toBe(0);
  });
});
