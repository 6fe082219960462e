// The tfjs side of the benchmark, a long-lived worker driven by run.mjs over stdin/stdout (one JSON object per
// line). Thread settings come from the environment run.mjs spawns it with (TF reads them once, at start-up).
//   {"cmd":"bench","model":"resnet20","kind":"reference"|"fused"|"compiled","mode":"train"|"eval","steps":N,"warmup":W,"batch":B}
//   -> {"ok":true,"msPerStep":[...]}           per-step wall times of the timed steps
import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { createInterface } from 'node:readline';
import { buildBenchModel } from './models.mjs';
import { loadFused } from './load-fused.mjs';

const fused = await loadFused();
const cache = new Map();

async function setup(model, kind, batch) {
  const key = `${model}/${kind}/${batch}`;
  if (!cache.has(key)) {
    // 'compiled' = the fused network run as one native TensorFlow graph: compileInference for eval,
    // compileTrainStep (forward, backward and the momentum update in one session call) for training.
    const net = buildBenchModel(model, { kind: kind === 'compiled' ? 'fused' : kind, fused, seed: 1 });
    const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 7);
    const labels = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => (i * 7919) % 10),
      'int32',
    );
    const y = tf.oneHot(labels, 10);
    const optimizer = tf.train.momentum(0.01, 0.9, true);
    const vars = net.trainableWeights.map((w) => w.read());
    const compiled = kind === 'compiled' ? await fused.compileInference(net) : null;
    const compiledTrain = kind === 'compiled' ? await fused.compileTrainStep(net, optimizer, { vars }) : null;
    const w = tf.ones([batch]);
    cache.set(key, { net, compiled, compiledTrain, x, labels, w, y, optimizer, vars });
  }
  return cache.get(key);
}

function trainStep({ net, compiledTrain, x, labels, w, y, optimizer, vars }) {
  // Each path reads its loss back to the host (the compiled step: the per-sample losses and hits).
  if (compiledTrain) return void compiledTrain.step(x, labels, w, 0.01);
  const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true })), true, vars);
  cost.dataSync();
  cost.dispose();
}

function evalStep({ net, compiled, x }) {
  const logits = compiled ? compiled.predict(x) : tf.tidy(() => net.apply(x, { training: false }));
  logits.dataSync();
  logits.dispose();
}

async function bench({ model, kind, mode, steps, warmup, batch }) {
  const s = await setup(model, kind, batch);
  const step = mode === 'train' ? trainStep : evalStep;
  for (let i = 0; i < warmup; i++) step(s);
  const ms = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step(s);
    ms.push(performance.now() - t);
  }
  return { msPerStep: ms, tensors: tf.memory().numTensors };
}

const rl = createInterface({ input: process.stdin });
process.stdout.write(`${JSON.stringify({ ready: true, backend: tf.getBackend() })}\n`);
for await (const line of rl) {
  if (!line.trim()) continue;
  const msg = JSON.parse(line);
  if (msg.cmd === 'quit') break;
  try {
    process.stdout.write(`${JSON.stringify({ ok: true, ...(await bench(msg)) })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(e?.stack ?? e) })}\n`);
  }
}
process.exit(0);
