import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatchLoader,
  gather,
  loadDataset,
  normalizeBatch,
  type BatchLoader,
  type DatasetPair,
  type ReadyBatch,
} from './index.js';
import { removeTempDirs, sameBytes, sharedDatasets, sharedPath, workerScriptForTests } from './test-helpers.js';

afterAll(removeTempDirs);

const c10 = sharedPath('cifar-10-exact-subset-bin');

describe.skipIf(!c10)('createBatchLoader on CIFAR-10 (byte-exact subset)', () => {
  let data: DatasetPair;
  let workerScript: string;
  const open: BatchLoader[] = [];
  const loader = async (o: Parameters<typeof createBatchLoader>[1]) => {
    const l = await createBatchLoader(data.train, { workerScript, ...o });
    open.push(l);
    return l;
  };

  beforeAll(async () => {
    data = await loadDataset('cifar10', { dataDir: sharedDatasets(), env: {} });
    workerScript = await workerScriptForTests();
  });
  afterAll(async () => {
    await Promise.all(open.map((l) => l.close()));
  });

  // A policy's selection: every third sample, in a scrambled order, with varied weights.
  const selection = () => {
    const ids = Uint32Array.from({ length: 700 }, (_, i) => (i * 3 * 7919) % data.train.size);
    const weights = Float32Array.from(ids, (_, i) => 1 + (i % 5) / 4);
    return { ids, weights };
  };

  it('the worker (sync and async) and the inline builder give identical augmented batches that carry ids, labels and weights', async () => {
    const { ids, weights } = selection();
    const worker = await loader({ batchSize: 128, augment: 'crop-flip', seed: 5 });
    const inline = await loader({ batchSize: 128, augment: 'crop-flip', seed: 5, prefetch: 0 });
    expect(worker.mode).toBe('worker');
    expect(inline.mode).toBe('inline');
    const a = [...worker.epoch(ids, weights, 3)];
    const b: ReadyBatch[] = [];
    for await (const batch of worker.epoch(ids, weights, 3)) b.push(batch);
    const c = [...inline.epoch(ids, weights, 3)];
    expect(a.map((x) => x.ids.length)).toEqual([128, 128, 128, 128, 128, 60]);
    for (const other of [b, c]) {
      expect(other).toHaveLength(a.length);
      other.forEach((batch, i) => {
        expect(sameBytes(batch.x, a[i]!.x)).toBe(true);
        expect(batch.ids).toEqual(a[i]!.ids);
      });
    }
    a.forEach((batch, i) => {
      expect([...batch.ids]).toEqual([...ids.subarray(i * 128, i * 128 + batch.ids.length)]);
      expect([...batch.weights]).toEqual([...weights.subarray(i * 128, i * 128 + batch.ids.length)]);
      expect([...batch.labels]).toEqual([...batch.ids].map((id) => data.train.labels[id]));
      expect(batch.shape).toEqual([batch.ids.length, 32, 32, 3]);
      expect(batch.x).toHaveLength(batch.ids.length * 3072);
      expect(batch.index).toBe(i);
    });
    // A resumed run recomputes any batch alone, and the next epoch draws new crops.
    expect(sameBytes(inline.batch(ids, weights, 3, 4).x, a[4]!.x)).toBe(true);
    expect(sameBytes([...worker.epoch(ids, weights, 4)][0]!.x, a[0]!.x)).toBe(false);
  });

  it('without augmentation a batch is exactly the normalised gathered pixels (evaluation)', async () => {
    const l = await loader({ batchSize: 50 });
    const ids = Uint32Array.from([17, 3, 999, 0, 5]);
    const [batch] = [...l.epoch(ids)];
    expect(sameBytes(batch!.x, normalizeBatch(gather(data.train, ids).images, data.train))).toBe(true);
    expect([...batch!.weights]).toEqual([1, 1, 1, 1, 1]);
    // First record: frog, pixel (0, 0) = R 59 -> (59/255 - mean_R) / std_R.
    expect(batch!.x[3 * 3072]).toBeCloseTo((59 / 255 - data.train.mean[0]!) / data.train.std[0]!, 5);
  });

  it('shuffles by (seed, epoch): a permutation that keeps each id with its weight, reproducible', async () => {
    const { ids, weights } = selection();
    const l = await loader({ batchSize: 100, shuffle: true, seed: 9, prefetch: 0 });
    const flat = (e: number) =>
      [...l.epoch(ids, weights, e)].flatMap((b) => [...b.ids].map((id, i) => `${id}:${b.weights[i]}`));
    const e1 = flat(1);
    const expected = [...ids].map((id, i) => `${id}:${weights[i]}`);
    expect([...e1].sort()).toEqual([...expected].sort());
    expect(e1).not.toEqual(expected);
    expect(flat(1)).toEqual(e1);
    expect(flat(2)).not.toEqual(e1);
  });

  it('a new epoch abandons the unfinished one; bad inputs are DataErrors naming the field', async () => {
    const l = await loader({ batchSize: 64, augment: 'crop-flip', prefetch: 3 });
    const first = l.epoch(undefined, undefined, 0)[Symbol.iterator]();
    const b0 = first.next().value as ReadyBatch;
    const second = [...l.epoch(undefined, undefined, 0)];
    expect(sameBytes(second[0]!.x, b0.x)).toBe(true);
    expect(second).toHaveLength(Math.ceil(data.train.size / 64));
    expect(() => first.next()).toThrow(/epoch 0's batch stream was abandoned/);
    // Leaving a stream early (break) drains what was in flight; the next epoch starts clean.
    for (const b of l.epoch(undefined, undefined, 1)) {
      expect(b.index).toBe(0);
      break;
    }
    const third = [...l.epoch(undefined, undefined, 1)];
    expect(third.map((b) => b.index)).toEqual(third.map((_, i) => i));
    expect(() => l.epoch(Uint32Array.from([data.train.size]))).toThrow(
      /indices\[0\] = \d+ is out of range for cifar10\/train; fix: use ids in \[0, \d+\]/,
    );
    expect(() => l.epoch(Uint32Array.from([1, 2]), Float32Array.from([1]))).toThrow(
      /weights has 1 entries but indices has 2/,
    );
    await expect(createBatchLoader(data.train, { batchSize: 0 })).rejects.toThrow(
      /batchSize = 0 is invalid; fix: use an integer in \[1, /,
    );
    await expect(
      createBatchLoader(data.train, { batchSize: 8, prefetch: 2, workerScript: '/nonexistent/w.js' }),
    ).rejects.toThrow(/worker script \/nonexistent\/w.js does not exist/);
    await l.close();
    expect(() => [...l.epoch()]).toThrow(/the batch loader is closed/);
  });

  it('a worker that dies mid-epoch fails the epoch at once with its reason, sync and async (no timeout wait)', async () => {
    // The real worker, plus a listener that crashes the thread right after its first task (outside the task's try).
    // The throw is synchronous: a setImmediate could wait for the whole epoch, because the worker drains a busy
    // port (up to 1000 messages) before its check phase runs, and the epoch would finish before the crash.
    const dir = mkdtempSync(join(tmpdir(), 'dp-crash-'));
    const crashing = join(dir, 'crashing-worker.mjs');
    writeFileSync(
      crashing,
      `import { workerData } from 'node:worker_threads';\nawait import(${JSON.stringify(pathToFileURL(workerScript).href)});\n` +
        `workerData.port.on('message', () => { throw new Error('boom in the worker'); });\n`,
    );
    for (const mode of ['sync', 'async'] as const) {
      const l = await loader({ batchSize: 64, prefetch: 2, workerScript: crashing });
      const started = performance.now();
      const run = async () => {
        if (mode === 'sync') for (const _ of l.epoch(undefined, undefined, 0));
        else for await (const _ of l.epoch(undefined, undefined, 0));
      };
      await expect(run()).rejects.toThrow(/batch loader worker died before task \d+: .*boom in the worker/);
      expect(performance.now() - started).toBeLessThan(10_000); // the default timeout is 120 s
    }
  });
});
