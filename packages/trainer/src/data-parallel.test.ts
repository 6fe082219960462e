import '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { sampleBlock, shardByPosition, unpackSamples, packSamples } from './data-parallel.js';
import { fakeCluster, smallRun } from './fake-cluster.test-util.js';
import { checkResume, readCheckpoint, train, TrainError, type TrainResult } from './index.js';

describe('data-parallel train() (2 workers in one process, batch 64 = 2 x 32)', () => {
  it('reproduces one process with batch 64: selections, observed losses, weights and accuracy', async () => {
    const single = smallRun();
    const observedSingle: number[] = [];
    const lossesSingle: number[] = [];
    const losses0: number[] = [];
    const one = await train({
      ...single,
      hooks: { onStep: (s) => (observedSingle.push(...s.ids), lossesSingle.push(...s.losses)) },
    });
    const workers = [smallRun({ checkpoint: true }), smallRun()];
    const observed: number[][] = [[], []];
    const cluster = fakeCluster(2);
    const both: TrainResult[] = await Promise.all(
      workers.map((a, r) =>
        train({
          ...a,
          parallel: cluster[r]!,
          hooks: { onStep: (s) => (observed[r]!.push(...s.ids), r === 0 && losses0.push(...s.losses)) },
        }),
      ),
    );
    for (const r of both) {
      expect(r.epochs.map((e) => e.selectionHash)).toEqual(one.epochs.map((e) => e.selectionHash));
      expect(r.epochs.map((e) => e.steps)).toEqual(one.epochs.map((e) => e.steps));
      expect(r.final!.samples).toBe(301);
      expect(Math.abs(r.final!.accuracy - one.final!.accuracy)).toBeLessThanOrEqual(2 / 301);
      expect(r.epochs[1]!.trainLoss).toBeCloseTo(one.epochs[1]!.trainLoss, 4);
    }
    // Every worker's pruner observed every sample, in the single-process order.
    expect(observed[0]).toEqual(observedSingle);
    expect(observed[1]).toEqual(observedSingle);
    const w1 = single.model.getWeights().map((t) => t.dataSync());
    for (const worker of workers) {
      const w2 = worker.model.getWeights().map((t) => t.dataSync());
      let worst = 0;
      w1.forEach((a, i) => a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - w2[i]![j]!)))));
      expect(worst).toBeLessThan(1e-4);
    }
    // Rank 0 alone wrote the checkpoint, recording the world size; another world size is refused.
    const saved = readCheckpoint(workers[0]!.checkpoint!.dir)!;
    expect(saved.epoch).toBe(1);
    const target = { model: single.model, pruner: single.pruner, epochs: 2, dir: 'D', fingerprint: 'f' };
    expect(() => checkResume({ ...target, worldSize: 3 }, saved)).toThrow(
      /written by a run of 2 workers; this run has 3 workers.*fix: resume with `dp launch --workers 2/,
    );
    expect(() => checkResume(target, saved)).toThrow(TrainError);
    for (const a of [single, ...workers]) a.model.dispose();
  }, 120_000);

  it('refuses a batch size the workers do not divide, naming both', async () => {
    const a = smallRun();
    await expect(
      train({ ...a, options: { ...a.options, batchSize: 63 }, parallel: fakeCluster(2)[0]! }),
    ).rejects.toThrow(
      /batch size 63 is not divisible by the 2 workers.*fix: pass a --batch-size that is a multiple of 2/,
    );
    a.model.dispose();
  });
});

describe('sharding by position', () => {
  it("splits a list into the workers' positions and puts gathered samples back in list order", () => {
    const n = 11;
    const ids = Uint32Array.from({ length: n }, (_, i) => 100 + i);
    const w = Float32Array.from({ length: n }, (_, i) => i / 10);
    const shards = [0, 1, 2].map((r) => shardByPosition(ids, w, r, 3));
    expect(shards.map((s) => Array.from(s.indices))).toEqual([
      [100, 103, 106, 109],
      [101, 104, 107, 110],
      [102, 105, 108],
    ]);
    // The last step of batch 9 (3 per worker): positions 9, 10 = worker 0's and worker 1's entry 3.
    const per = 3;
    const payload = (r: number) => {
      const s = shards[r]!;
      const k = s.indices.subarray(3, 6);
      return packSamples(
        {
          ids: k,
          labels: new Int32Array(k.length),
          losses: Float32Array.from(k, (x) => x / 2),
          hits: new Float32Array(k.length),
        },
        per,
      );
    };
    const all = new Float64Array(3 * sampleBlock(per).size);
    [0, 1, 2].forEach((r) => all.set(payload(r), r * sampleBlock(per).size));
    const back = unpackSamples(all, per, 3, 2);
    expect(Array.from(back.ids)).toEqual([109, 110]);
    expect(Array.from(back.losses)).toEqual([54.5, 55]);
  });
});
