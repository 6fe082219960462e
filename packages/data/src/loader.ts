import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { parseAugment, type Augmentation, type AugmentSpec } from './augment.js';
import { batchCount } from './batches.js';
import { buildBatch, Scratch, type KernelData, type ReadyBatch } from './batch-kernel.js';
import type { ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { normalizationTable } from './normalize.js';
import { BatchRng, STREAM_SHUFFLE } from './rng.js';
import { toShared } from './shared.js';

export interface BatchLoaderOptions {
  /** Rows per batch (integer >= 1). */
  batchSize: number;
  /** Training augmentation (default 'none'; use 'crop-flip' for CIFAR, 'resized-crop-flip' for image folders). */
  augment?: AugmentSpec;
  /** Seed of the shuffle and of every augmentation draw (integer, default 0). */
  seed?: number;
  /** Shuffle each epoch's list by (seed, epoch) before batching (default false: a policy's selection is already shuffled). */
  shuffle?: boolean;
  /** Batches built ahead in a worker thread (default 2); 0 builds each batch on the calling thread when asked for. */
  prefetch?: number;
  /** Keep a final batch smaller than batchSize (default true). */
  keepLast?: boolean;
  /** Worker entry point (default: loader-worker.js beside this module). Only needed when running from source. */
  workerScript?: string | URL;
  /** Longest wait for one batch from the worker before giving up, in ms (default 120000). */
  timeoutMs?: number;
}

/** One epoch's batches, consumed either synchronously (for await-free training loops) or asynchronously. */
export interface BatchStream extends Iterable<ReadyBatch>, AsyncIterable<ReadyBatch> {
  readonly epoch: number;
  /** Number of batches the stream yields. */
  readonly steps: number;
}

export interface BatchLoader {
  /** 'worker' when batches are built ahead in a worker thread, 'inline' when built on demand. */
  readonly mode: 'worker' | 'inline';
  readonly batchSize: number;
  readonly augment: Augmentation;
  /**
   * The batches of one epoch over `indices` (default: every sample in order) with per-entry loss `weights`
   * (default 1). Batch b of epoch e is augmented with the generator of (seed, e, b), so it is reproducible on its
   * own (a resumed run gets the same batches). Starting a new epoch abandons an unfinished one.
   */
  epoch(indices?: Uint32Array, weights?: Float32Array, epoch?: number): BatchStream;
  /** Build batch `index` of `epoch` on the calling thread (what the stream yields at that position). */
  batch(indices: Uint32Array, weights: Float32Array | undefined, epoch: number, index: number): ReadyBatch;
  /** Stop the worker thread. The loader cannot be used afterwards. */
  close(): Promise<void>;
}

interface Plan {
  epoch: number;
  indices: Uint32Array;
  weights: Float32Array;
  steps: number;
}

interface Reply {
  tag: number;
  batch?: ReadyBatch;
  error?: string;
  /** The worker is dying (loader-worker.ts die()): why. */
  fatal?: string;
}

function defaultWorkerScript(): URL {
  return new URL('./loader-worker.js', import.meta.url);
}

function checkInt(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new DataError(`${field} = ${String(v)} is invalid`, `use an integer in [${lo}, ${hi}]`);
  return v;
}

/**
 * A loader of ready-to-train batches (gather, augment, normalise to float32 NHWC). With `prefetch > 0` the work
 * runs in a worker thread that reads the dataset's pixels from shared memory (copied there once, unless the
 * loader already put them there), so the next batches are built while the main thread runs a training step.
 */
export async function createBatchLoader(dataset: ImageDataset, options: BatchLoaderOptions): Promise<BatchLoader> {
  const batchSize = checkInt('batchSize', options.batchSize, 1, 1 << 20);
  const prefetch = checkInt('prefetch', options.prefetch ?? 2, 0, 64);
  const seed = checkInt('seed', options.seed ?? 0, -(2 ** 53), 2 ** 53);
  const timeoutMs = checkInt('timeoutMs', options.timeoutMs ?? 120_000, 1, 2 ** 31);
  const keepLast = options.keepLast ?? true;
  const shuffle = options.shuffle ?? false;
  const augment = parseAugment(options.augment);
  const [h, w, c] = dataset.shape;
  if (dataset.images.length !== dataset.size * h * w * c) {
    throw new DataError(
      `dataset ${dataset.name}/${dataset.split}: images hold ${dataset.images.length} bytes, ${dataset.size} x ${h}x${w}x${c} needs ${dataset.size * h * w * c}`,
      'build the dataset with a loader from @dp/data',
    );
  }
  const data: KernelData = {
    images: prefetch > 0 ? toShared(dataset.images) : dataset.images,
    labels: dataset.labels,
    shape: [h, w, c],
    table: normalizationTable(dataset.mean, dataset.std, c),
    augment,
    seed,
  };
  const scratch = new Scratch();

  const plan = (indices: Uint32Array | undefined, weights: Float32Array | undefined, epoch: number): Plan => {
    checkInt('epoch', epoch, 0, 2 ** 31);
    const ids = indices ? Uint32Array.from(indices) : Uint32Array.from({ length: dataset.size }, (_, i) => i);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! >= dataset.size)
        throw new DataError(
          `indices[${i}] = ${ids[i]} is out of range for ${dataset.name}/${dataset.split}`,
          `use ids in [0, ${dataset.size - 1}]`,
        );
    }
    if (weights && weights.length !== ids.length)
      throw new DataError(
        `weights has ${weights.length} entries but indices has ${ids.length}`,
        'pass one weight per index',
      );
    const wts = weights ? Float32Array.from(weights) : new Float32Array(ids.length).fill(1);
    if (shuffle) {
      const rng = BatchRng.forBatch(seed, epoch, 0, STREAM_SHUFFLE);
      for (let i = ids.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = ids[i]!;
        ids[i] = ids[j]!;
        ids[j] = t;
        const u = wts[i]!;
        wts[i] = wts[j]!;
        wts[j] = u;
      }
    }
    return { epoch, indices: ids, weights: wts, steps: batchCount(ids.length, batchSize, keepLast) };
  };
  const slice = (p: Plan, b: number): [Uint32Array, Float32Array] => {
    const start = b * batchSize;
    const end = Math.min(start + batchSize, p.indices.length);
    return [p.indices.subarray(start, end), p.weights.subarray(start, end)];
  };
  const buildInline = (p: Plan, b: number) => {
    const [ids, wts] = slice(p, b);
    return buildBatch(data, ids, wts, p.epoch, b, scratch);
  };

  const base = {
    batchSize,
    augment,
    batch(indices: Uint32Array, weights: Float32Array | undefined, epoch: number, index: number): ReadyBatch {
      const p = plan(indices, weights, epoch);
      checkInt('index', index, 0, Math.max(p.steps - 1, 0));
      return buildInline(p, index);
    },
  };

  if (prefetch === 0) {
    return {
      ...base,
      mode: 'inline',
      epoch(indices, weights, epoch = 0) {
        const p = plan(indices, weights, epoch);
        function* gen(): Generator<ReadyBatch> {
          for (let b = 0; b < p.steps; b++) yield buildInline(p, b);
        }
        return {
          epoch,
          steps: p.steps,
          [Symbol.iterator]: gen,
          async *[Symbol.asyncIterator]() {
            yield* gen();
          },
        };
      },
      async close() {},
    };
  }

  const script = options.workerScript ?? defaultWorkerScript();
  const scriptPath = typeof script === 'string' ? script : fileURLToPath(script);
  if (!existsSync(scriptPath)) {
    throw new DataError(
      `batch loader worker script ${scriptPath} does not exist`,
      'build @dp/data (npm run build), pass workerScript, or use prefetch: 0',
    );
  }
  const pool = await WorkerLink.start(script, data, timeoutMs);
  let current = 0; // id of the live stream; an older stream stops when a new one starts
  return {
    ...base,
    mode: 'worker',
    epoch(indices, weights, epoch = 0) {
      const p = plan(indices, weights, epoch);
      const streamId = ++current;
      const tags: number[] = [];
      let submitted = 0;
      let consumed = 0;
      const fill = () => {
        while (submitted < p.steps && tags.length < prefetch) {
          const [ids, wts] = slice(p, submitted);
          tags.push(pool.submit(p.epoch, submitted, ids, wts));
          submitted++;
        }
      };
      const check = () => {
        if (streamId !== current)
          throw new DataError(
            `epoch ${epoch}'s batch stream was abandoned: a newer epoch started on the same loader`,
            'finish or drop one epoch before starting the next',
          );
      };
      const take = (batch: ReadyBatch) => {
        consumed++;
        fill();
        return batch;
      };
      return {
        epoch,
        steps: p.steps,
        *[Symbol.iterator]() {
          check();
          try {
            fill();
            while (consumed < p.steps) {
              check();
              yield take(pool.receiveSync(tags.shift()!));
            }
          } finally {
            // Left early (break): take the batches still in flight so the worker goes idle (and unref'd).
            if (streamId === current) pool.drain();
          }
        },
        async *[Symbol.asyncIterator]() {
          check();
          try {
            fill();
            while (consumed < p.steps) {
              check();
              yield take(await pool.receive(tags.shift()!));
            }
          } finally {
            if (streamId === current) pool.drain();
          }
        },
      };
    },
    close: () => pool.close(),
  };
}

/** The main thread's end of the worker: tagged tasks in, tagged batches out, in order. */
class WorkerLink {
  private nextTag = 1;
  private received = 0;
  private outstanding = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    private readonly timeoutMs: number,
  ) {
    worker.on('error', (e) => (this.failure = e));
    worker.on('exit', (code) => (this.failure ??= new Error(`exited with code ${code}`)));
  }

  static async start(script: string | URL, data: KernelData, timeoutMs: number): Promise<WorkerLink> {
    const { port1, port2 } = new MessageChannel();
    // [0] replies posted (what the main thread waits on), [1] set when the worker dies (loader-worker.ts die()).
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(script, { workerData: { data, port: port2, signal }, transferList: [port2] });
    await new Promise<void>((resolve, reject) => {
      const fail = (e: Error) =>
        reject(
          new DataError(
            `batch loader worker failed to start: ${e.message.split('\n')[0]}`,
            'rebuild @dp/data, or use prefetch: 0',
          ),
        );
      worker.once('message', () => resolve());
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`exited with code ${code}`)));
    });
    worker.removeAllListeners();
    worker.unref();
    port1.unref();
    return new WorkerLink(worker, port1, signal, timeoutMs);
  }

  submit(epoch: number, index: number, ids: Uint32Array, weights: Float32Array): number {
    if (this.closed) throw new DataError('the batch loader is closed', 'create a new loader');
    const tag = this.nextTag++;
    if (this.outstanding++ === 0) this.worker.ref();
    this.port.postMessage({ tag, epoch, index, ids, weights });
    return tag;
  }

  /** Take replies until the one for `tag` (older ones belong to abandoned streams and are dropped). */
  private poll(tag: number): ReadyBatch | undefined {
    for (;;) {
      const m = receiveMessageOnPort(this.port);
      if (!m) return undefined;
      this.received++; // the worker bumped the counter once for this message (a reply or its death notice)
      const reply = m.message as Reply;
      if (reply.fatal !== undefined) {
        this.failure ??= new Error(reply.fatal.split('\n')[0]);
        continue;
      }
      if (--this.outstanding === 0) this.worker.unref();
      if (reply.tag !== tag) continue;
      if (reply.error)
        throw new DataError(
          `batch loader worker failed: ${reply.error.split('\n')[0]}`,
          'report this bug; meanwhile use prefetch: 0',
        );
      return reply.batch!;
    }
  }

  /** Whether the worker has died: an 'error' / 'exit' event (async waits only) or its own signal (any wait). */
  private dead(): boolean {
    if (Atomics.load(this.signal, 1) !== 0) this.failure ??= new Error('the worker exited');
    return this.failure !== undefined;
  }

  /** Take and drop every reply still in flight. */
  drain(): void {
    const deadline = performance.now() + this.timeoutMs;
    while (this.outstanding > 0 && !this.closed && !this.dead() && performance.now() < deadline) {
      if (this.poll(-1) === undefined) Atomics.wait(this.signal, 0, this.received, 100);
    }
  }

  private fail(tag: number): never {
    if (this.failure)
      throw new DataError(
        `batch loader worker died before task ${tag}: ${this.failure.message}`,
        'report this bug; meanwhile use prefetch: 0 to build batches on the main thread',
      );
    throw new DataError(
      `batch loader worker gave no batch for ${this.timeoutMs} ms (task ${tag})`,
      'use prefetch: 0 to build batches on the main thread',
    );
  }

  /** Block until the batch for `tag` arrives (Atomics.wait on the reply counter). */
  receiveSync(tag: number): ReadyBatch {
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const b = this.poll(tag);
      if (b) return b;
      if (this.dead() || performance.now() > deadline) this.fail(tag);
      Atomics.wait(this.signal, 0, this.received, 1000);
    }
  }

  /** Wait without blocking the event loop until the batch for `tag` arrives. */
  async receive(tag: number): Promise<ReadyBatch> {
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const b = this.poll(tag);
      if (b) return b;
      if (this.dead() || performance.now() > deadline) this.fail(tag);
      const waiter = (
        Atomics as unknown as {
          waitAsync(
            a: Int32Array,
            i: number,
            v: number,
            t: number,
          ): { async: boolean; value: Promise<string> | string };
        }
      ).waitAsync(this.signal, 0, this.received, 1000);
      if (waiter.async) {
        // A pending waitAsync does not keep Node alive: if the worker died, the process would exit mid-epoch with
        // code 0. A ref'd timer beside it keeps the loop running until this wait resolves or fails.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([waiter.value, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    await this.worker.terminate();
  }
}
