#!/usr/bin/env node
// Benchmark of @dp/data against the built dist (run `npx turbo run build --filter=@dp/data` first):
//   node packages/data/bench/loader.mjs [--data-dir DIR] [--keep-cache DIR] [--no-train] [--steps N]
// 1. CIFAR-10 JPEG folder (60,000 images): first load (decode + write cache) and cached load (in a fresh process,
//    with the RSS it adds). 2. Loader throughput for augmented (crop-flip) CIFAR-10 batches of 128, on the main
//    thread and from the worker. 3. A ResNet-20 training step on tfjs-node, alone and fed by the loader.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: process.env.DP_SHARED_DATA ?? resolve(here, '../../../../shared/datasets') },
    'keep-cache': { type: 'string' },
    'no-train': { type: 'boolean', default: false },
    steps: { type: 'string', default: '8' },
    'cached-child': { type: 'boolean', default: false },
  },
});
const dataDir = values['data-dir'];
const mb = (b) => (b / 2 ** 20).toFixed(0);

if (values['cached-child']) {
  // Fresh process: only the core entry (no TensorFlow) and no decoder, so a load that had to decode would fail
  // ("no image decoder"). (A throwing custom decoder would not do: a custom decoder has caches of its own.)
  const { loadCifar10Jpeg } = await import('../dist/index.js');
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const { train, test } = await loadCifar10Jpeg({ dataDir });
  const seconds = (performance.now() - t) / 1000;
  globalThis.gc?.();
  const rss = process.memoryUsage().rss - rss0;
  process.stdout.write(JSON.stringify({ seconds, rss, train: train.size, test: test.size }));
  process.exit(0);
}

const { createBatchLoader, loadDataset } = await import('../dist/index.js');
const cache = values['keep-cache'] ?? mkdtempSync(join(tmpdir(), 'dp-bench-cache-'));
process.env.DP_CACHE_DIR = cache;
console.log(`@dp/data benchmark  node ${process.version}  data ${dataDir}  cache ${cache}`);

// ---- 1. JPEG folder: first and cached load
let t = performance.now();
let lastPrint = 0;
const first = await loadDataset('cifar10-jpeg', {
  dataDir,
  onProgress: (p) => {
    if (p.phase === 'decode' && (p.done === p.total || performance.now() - lastPrint > 5000)) {
      lastPrint = performance.now();
      console.log(`  decode ${p.split} ${p.done}/${p.total}  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  },
});
const firstSeconds = (performance.now() - t) / 1000;
console.log(
  `cifar10-jpeg first load (decode ${first.train.size + first.test.size} JPEGs + write cache): ${firstSeconds.toFixed(1)} s  (bar: <= 60 s)`,
);
const child = JSON.parse(
  execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--cached-child', '--data-dir', dataDir],
    { env: { ...process.env, DP_CACHE_DIR: cache } },
  ).toString(),
);
console.log(
  `cifar10-jpeg cached load (fresh process): ${child.seconds.toFixed(2)} s  (bar: <= 3 s);  RSS added: ${mb(child.rss)} MB for ${child.train}+${child.test} images (bar: <= 250 MB; pixels alone ${mb((child.train + child.test) * 3072)} MB)`,
);

// ---- 2. Loader throughput, augmented CIFAR-10 batches of 128
const train = first.train;
const ids = Uint32Array.from({ length: train.size }, (_, i) => (i * 7919) % train.size);
const throughput = async (prefetch) => {
  const loader = await createBatchLoader(train, { batchSize: 128, augment: 'crop-flip', seed: 1, prefetch });
  const t0 = performance.now();
  let n = 0;
  for (const b of loader.epoch(ids, undefined, 0)) n += b.ids.length;
  const s = (performance.now() - t0) / 1000;
  await loader.close();
  return n / s;
};
const inlineRate = await throughput(0);
const workerRate = await throughput(2);
console.log(
  `loader, crop-flip + normalise, batch 128, one epoch of ${train.size}: main thread ${inlineRate.toFixed(0)} img/s, worker ${workerRate.toFixed(0)} img/s`,
);

// ---- 3. ResNet-20 training step, alone and fed by the loader
if (!values['no-train']) {
  const tf = await import('@tensorflow/tfjs-node');
  const steps = Number(values.steps);
  const model = resnet20(tf);
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy' });
  const step = async (x, labels) => {
    const xs = tf.tensor4d(x, [labels.length, 32, 32, 3]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
  };
  const warm = await createBatchLoader(train, { batchSize: 128, augment: 'crop-flip', prefetch: 0 });
  const fixed = warm.batch(ids, undefined, 0, 0);
  await step(fixed.x, fixed.labels); // warm-up (graph building, allocation)
  t = performance.now();
  for (let i = 0; i < steps; i++) await step(fixed.x, fixed.labels);
  const stepSeconds = (performance.now() - t) / 1000 / steps;
  const trainRate = 128 / stepSeconds;
  console.log(
    `ResNet-20 (tfjs-node, batch 128) training step alone: ${(stepSeconds * 1000).toFixed(0)} ms = ${trainRate.toFixed(0)} img/s (reference quoted for this machine: 100-110 img/s)`,
  );
  console.log(
    `loader / training speed: main thread ${(inlineRate / trainRate).toFixed(1)}x, worker ${(workerRate / trainRate).toFixed(1)}x (bar: >= 5x)`,
  );
  for (const prefetch of [0, 2]) {
    const loader = await createBatchLoader(train, { batchSize: 128, augment: 'crop-flip', seed: 1, prefetch });
    const waits = [];
    const it = loader.epoch(ids, undefined, 1)[Symbol.iterator]();
    const t0 = performance.now();
    for (let done = 0; done <= steps; done++) {
      const w0 = performance.now();
      const next = it.next();
      waits.push(performance.now() - w0);
      if (next.done) break;
      await step(next.value.x, next.value.labels);
    }
    const total = performance.now() - t0;
    const later = waits.slice(1).sort((a, b) => a - b);
    console.log(
      `training fed by the loader (prefetch ${prefetch}): ${(total / waits.length).toFixed(0)} ms/step; waiting for data: first batch ${waits[0].toFixed(1)} ms, then median ${later[later.length >> 1].toFixed(1)} ms, max ${later[later.length - 1].toFixed(1)} ms`,
    );
    await loader.close();
  }
}
if (!values['keep-cache']) rmSync(cache, { recursive: true, force: true });

/** ResNet-20 for CIFAR (He et al. 2016): 3 stages x 3 basic blocks of 16/32/64 filters, projection shortcuts. */
function resnet20(tf) {
  const conv = (x, filters, stride, k = 3) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: k,
        strides: stride,
        padding: 'same',
        useBias: false,
        kernelInitializer: 'heNormal',
      })
      .apply(x);
  const bn = (x) => tf.layers.batchNormalization().apply(x);
  const relu = (x) => tf.layers.activation({ activation: 'relu' }).apply(x);
  const input = tf.input({ shape: [32, 32, 3] });
  let x = relu(bn(conv(input, 16, 1)));
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let b = 0; b < 3; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      let y = relu(bn(conv(x, filters, stride)));
      y = bn(conv(y, filters, 1));
      const shortcut = stride === 1 ? x : bn(conv(x, filters, stride, 1));
      x = relu(tf.layers.add().apply([y, shortcut]));
    }
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: out });
}
