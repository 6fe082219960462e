#!/usr/bin/env node
// Epoch time of one-process training with the compiled training step against the eager one, alternated in one
// process (rotating order), on a real dataset through @dp/trainer's train(): the whole epoch (data, selection,
// scoring, training step, evaluation) and its cost buckets, so the ratio of the two and the share of the step
// in an epoch can be read. Set TF_ENABLE_ONEDNN_OPTS=1 (as dp does) for the fast path.
//
//   TF_ENABLE_ONEDNN_OPTS=1 node bench/speed/train-step-epoch.mjs [--dataset cifar10-jpeg] [--data-dir DIR]
//        [--model resnet20] [--train-subset 5000] [--test-subset 1000] [--batch 128] [--reps 3]
import * as tf from '@tensorflow/tfjs-node';
import { loadDataset } from '@dp/data';
import { subset } from '@dp/experiments';
import { buildModel } from '@dp/models';
import { createPruner } from '@dp/policies';
import { train } from '@dp/trainer';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const dataset = opt('dataset', 'cifar10-jpeg');
const dataDir = opt('data-dir', process.env.DP_DATA_DIR ?? '../shared/datasets');
const modelName = opt('model', 'resnet20');
const reps = Number(opt('reps', '3'));
const batchSize = Number(opt('batch', '128'));
const pair = await loadDataset(dataset, { dataDir, download: false });
const data = subset(pair.train, Number(opt('train-subset', '5000')));
const test = subset(pair.test, Number(opt('test-subset', '1000')));
console.log(
  `${dataset} ${modelName}: ${data.size} train, ${test.size} test, batch ${batchSize}, backend ${tf.getBackend()}`,
);

const epoch = async (trainStep) => {
  const model = buildModel(modelName, { inputShape: data.shape, numClasses: data.numClasses, seed: 0 });
  const pruner = createPruner({ policy: 'full', datasetSize: data.size, pruneRatio: 0, totalEpochs: 1, seed: 0 });
  const t0 = performance.now();
  const r = await train({
    model,
    train: data,
    test,
    pruner,
    options: {
      epochs: 1,
      batchSize,
      schedule: { name: 'constant', lr: 0.05 },
      nesterov: true,
      weightDecay: 5e-4,
      trainStep,
    },
    augment: dataset.startsWith('cifar') ? 'crop-flip' : 'none',
    hooks: { onWarning: (m) => console.warn(`  warning: ${m}`) },
  });
  const wall = (performance.now() - t0) / 1000;
  model.dispose();
  return { wall, used: r.trainStep.kind, ...r.totals };
};

const kinds = ['eager', 'compiled'];
await epoch('compiled'); // warm-up: kernels, data cache, worker threads
const rows = { eager: [], compiled: [] };
for (let rep = 0; rep < reps; rep++) {
  for (const k of rep % 2 ? [...kinds].reverse() : kinds) {
    const r = await epoch(k);
    rows[k].push(r);
    const f = (x) => x.toFixed(2).padStart(7);
    console.log(
      `rep ${rep} ${k.padEnd(8)} (ran ${r.used}) wall ${f(r.wall)} s  train step ${f(r.train)}  data ${f(r.data)}  select ${f(r.select)}  score ${f(r.score)}  eval ${f(r.eval)}`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = (k, f) => median(rows[k].map(f));
for (const k of kinds)
  console.log(
    `${k}: median step ${med(k, (r) => r.train).toFixed(2)} s, epoch (wall) ${med(k, (r) => r.wall).toFixed(2)} s; step = ${((100 * med(k, (r) => r.train)) / med(k, (r) => r.wall)).toFixed(0)}% of the epoch, ${(data.size / med(k, (r) => r.train)).toFixed(0)} img/s in the step`,
  );
console.log(
  `compiled / eager speed-up: training step ${(med('eager', (r) => r.train) / med('compiled', (r) => r.train)).toFixed(2)}x, whole epoch ${(med('eager', (r) => r.wall) / med('compiled', (r) => r.wall)).toFixed(2)}x (per-rep pairs: ${rows.eager.map((e, i) => (e.wall / rows.compiled[i].wall).toFixed(2)).join(', ')})`,
);
