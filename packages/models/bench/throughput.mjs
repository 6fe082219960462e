// Forward and training-step throughput (images/s) of the ResNets on the native TensorFlow backend.
// Usage (after `npx turbo run build --filter=@dp/models`):
//   TF_CPP_MIN_LOG_LEVEL=2 node packages/models/bench/throughput.mjs [--models resnet20,resnet18] [--batch 128] [--reps 5] [--warmup 1]
// The training step is the trainer's: SGD with momentum 0.9 minimising the mean of per-sample softmax cross-entropy
// (tf.losses.softmaxCrossEntropy with Reduction.NONE), model.apply(x, { training: true }) so batch norm uses batch statistics.
import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildModel, paramTotals } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'resnet20,resnet18' },
    batch: { type: 'string', default: '128' },
    reps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    size: { type: 'string', default: '32' },
    'batch-norm': { type: 'string', default: 'reference' },
  },
});
const batch = Number(values.batch);
const reps = Number(values.reps);
const warmup = Number(values.warmup);
const size = Number(values.size);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (xs) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

/** Run `f` warmup + reps times; images/s of each timed repetition. */
function measure(f) {
  for (let i = 0; i < warmup; i++) f();
  const rates = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    rates.push(batch / ((performance.now() - t) / 1000));
  }
  return rates;
}

console.log(
  `backend ${tf.getBackend()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average before ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `batch ${batch}, ${size}x${size}x3, 10 classes, ${warmup} warm-up + ${reps} timed repetitions; images/s as median (min–max)`,
);
const rows = [];
for (const name of values.models.split(',')) {
  const model = buildModel(name, {
    inputShape: [size, size, 3],
    numClasses: 10,
    seed: 1,
    batchNorm: values['batch-norm'],
  });
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 1);
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const y = tf.oneHot(labels, 10);
  const vars = model.trainableWeights.map((w) => w.read());
  const optimizer = tf.train.momentum(0.01, 0.9);

  const forward = measure(() => {
    const out = model.predict(x);
    out.dataSync();
    out.dispose();
  });
  const train = measure(() => {
    let perSample;
    const cost = optimizer.minimize(
      () => {
        const logits = model.apply(x, { training: true });
        const losses = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE);
        perSample = tf.keep(losses);
        return tf.div(tf.sum(losses), batch);
      },
      true,
      vars,
    );
    perSample.dataSync();
    tf.dispose([perSample, cost]);
  });
  rows.push({ name, params: paramTotals(model).trainable, forward, train });
  console.log(
    `${name.padEnd(10)} ${String(paramTotals(model).trainable).padStart(10)} params  forward ${fmt(forward)} img/s  train step ${fmt(train)} img/s`,
  );
  tf.dispose([x, labels, y]);
  optimizer.dispose();
  model.dispose();
}
console.log(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
