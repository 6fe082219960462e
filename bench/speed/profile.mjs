#!/usr/bin/env node
// Where the time of a tfjs-node training (or eval) step goes: every native TensorFlow op the step runs, timed at
// tfjs-node's binding (executeOp), so the names are TensorFlow's kernels and nested tfjs kernels are not counted
// twice; plus tf.profile's count of tfjs kernel invocations. Reference layers vs the fused kernels.
//
//   node bench/speed/profile.mjs [--model resnet20] [--mode train] [--kinds reference,fused] [--steps 3] [--top 15]
import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import { buildBenchModel } from './models.mjs';
import { loadFused } from './load-fused.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const model = opt('model', 'resnet20');
const mode = opt('mode', 'train');
const kinds = opt('kinds', 'reference,fused').split(',');
const steps = Number(opt('steps', '3'));
const top = Number(opt('top', '15'));
const batch = Number(opt('batch', '128'));

const fused = await loadFused();
const backend = tf.backend();
const binding = backend.binding;
let stats = null; // op name -> { ms, calls }
const timedExecuteOp = (name, attrs, inputs, n) => {
  if (!stats) return binding.executeOp(name, attrs, inputs, n);
  const t = performance.now();
  const out = binding.executeOp(name, attrs, inputs, n);
  const e = (stats[name] ??= { ms: 0, calls: 0 });
  e.ms += performance.now() - t;
  e.calls++;
  return out;
};
// The binding object is read-only: give the backend an object that inherits everything from it but times executeOp.
const timedBinding = Object.create(binding);
Object.defineProperty(timedBinding, 'executeOp', { value: timedExecuteOp });
backend.binding = timedBinding;

for (const kind of kinds) {
  const net = buildBenchModel(model, { kind, fused, seed: 1 });
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 7);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const optimizer = tf.train.momentum(0.01, 0.9, true);
  const vars = net.trainableWeights.map((w) => w.read());
  const step = () => {
    if (mode === 'train') {
      const c = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true })),
        true,
        vars,
      );
      c.dataSync();
      c.dispose();
    } else {
      const l = tf.tidy(() => net.apply(x, { training: false }));
      l.dataSync();
      l.dispose();
    }
  };
  step();
  step(); // warm-up (first calls allocate and pick kernels)
  const prof = await tf.profile(step);
  const tfjsKernels = prof.kernels.length;
  stats = {};
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const wall = (performance.now() - t0) / steps;
  const rows = Object.entries(stats)
    .map(([name, e]) => ({ name, ms: e.ms / steps, calls: e.calls / steps }))
    .sort((a, b) => b.ms - a.ms);
  stats = null;
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const calls = rows.reduce((s, r) => s + r.calls, 0);
  console.log(
    `\n${model} ${mode} step, ${kind}: ${wall.toFixed(0)} ms wall/step, ${total.toFixed(0)} ms in ${calls} native TF ops/step ` +
      `(${((100 * total) / wall).toFixed(0)}% of wall), ${tfjsKernels} tfjs kernel invocations/step (tf.profile)`,
  );
  console.log(`  ${'TF op'.padEnd(28)} ${'calls'.padStart(6)} ${'ms/step'.padStart(9)} ${'share'.padStart(6)}`);
  for (const r of rows.slice(0, top)) {
    console.log(
      `  ${r.name.padEnd(28)} ${String(r.calls).padStart(6)} ${r.ms.toFixed(1).padStart(9)} ${`${((100 * r.ms) / total).toFixed(1)}%`.padStart(6)}`,
    );
  }
  const rest = rows.slice(top);
  if (rest.length) {
    const ms = rest.reduce((s, r) => s + r.ms, 0);
    console.log(
      `  ${`(${rest.length} other ops)`.padEnd(28)} ${String(rest.reduce((s, r) => s + r.calls, 0)).padStart(6)} ${ms.toFixed(1).padStart(9)} ${`${((100 * ms) / total).toFixed(1)}%`.padStart(6)}`,
    );
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  net.dispose();
}
