#!/usr/bin/env node
// Training / evaluation speed of the same networks in tfjs-node (reference layers vs the fused kernels of
// @dp/models) and PyTorch (CPU), measured side by side in one invocation: long-lived workers, the three
// implementations alternated (rotating order) for several repetitions, medians and min-max of images/s.
//
//   bash bench/speed/setup.sh                       # once: bench/speed/.venv with torch 2.13.0 (CPU)
//   node bench/speed/run.mjs [--models resnet20,resnet18] [--modes train,eval] [--reps 5] [--batch 128]
//        [--impls reference,fused,compiled,torch] [--tf-intra 2] [--tf-inter 1] [--torch-threads 2] [--json out.json]
//
// Training step = forward + backward + SGD (momentum 0.9, Nesterov) update, batch 128 of 32x32x3, loss read back.
// Eval step = forward pass without gradients (tfjs: training=false; torch: eval() + no_grad), logits read back.
// 'compiled' = the fused network as one native TensorFlow graph (@dp/models compileInference for eval,
// compileTrainStep for training: forward, backward and the momentum update in one session call).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describeCpu, formatCpu, oneDnnDefault, oneDnnState } from '@dp/trainer';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const list = (s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const models = list(opt('models', 'resnet20,resnet18'));
const modes = list(opt('modes', 'train,eval'));
const impls = list(opt('impls', 'reference,fused,compiled,torch'));
const reps = Number(opt('reps', '5'));
const batch = Number(opt('batch', '128'));
const tfIntra = opt('tf-intra', '2');
const tfInter = opt('tf-inter', '1');
const torchThreads = opt('torch-threads', '2');
const torchInterop = opt('torch-interop', '1');
const jsonOut = opt('json', '');
// Timed steps per repetition (after warm-up steps), sized for ~2-5 s per measurement on 2 cores.
const stepsFor = (model, mode) =>
  Number(
    opt(
      `steps-${model}-${mode}`,
      { resnet20: { train: 6, eval: 10 }, resnet18: { train: 2, eval: 4 } }[model]?.[mode] ?? 3,
    ),
  );
const warmupFor = (model, mode) => (model === 'resnet18' && mode === 'train' ? 1 : 2);

for (const [field, v, allowed] of [
  ['models', models, ['resnet20', 'resnet18']],
  ['modes', modes, ['train', 'eval']],
  ['impls', impls, ['reference', 'fused', 'compiled', 'torch']],
]) {
  for (const x of v)
    if (!allowed.includes(x))
      throw new Error(`--${field} ${x} is invalid: expected a comma list of ${allowed.join(', ')}`);
}
if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps ${reps} is invalid: expected an integer >= 1`);

/** A line-protocol worker: send one JSON command, await one JSON answer. */
function worker(cmd, args, env) {
  const p = spawn(cmd, args, { cwd: here, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: p.stdout });
  const queue = [];
  const waiting = [];
  lines.on('line', (l) => {
    if (!l.startsWith('{')) return;
    const msg = JSON.parse(l);
    if (waiting.length) waiting.shift()(msg);
    else queue.push(msg);
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r)));
  return {
    ready: next(),
    async ask(msg) {
      p.stdin.write(`${JSON.stringify(msg)}\n`);
      const r = await next();
      if (!r.ok) throw new Error(`${cmd} worker failed: ${r.error}`);
      return r;
    },
    quit() {
      p.stdin.write('{"cmd":"quit"}\n');
      p.stdin.end();
    },
  };
}

// oneDNN as `dp` runs these models (bin/dp.mjs: on, on cache-hiding hosts only for tested models);
// TF_ENABLE_ONEDNN_OPTS=0 in the environment measures TensorFlow without it.
const onednnEnv = process.env.TF_ENABLE_ONEDNN_OPTS ?? oneDnnDefault(undefined, models);
const tfEnv = {
  TF_CPP_MIN_LOG_LEVEL: '2',
  TF_NUM_INTRAOP_THREADS: tfIntra,
  TF_NUM_INTEROP_THREADS: tfInter,
  TF_ENABLE_ONEDNN_OPTS: onednnEnv,
};
const cpu = describeCpu();
const onednn = oneDnnState(cpu, { TF_ENABLE_ONEDNN_OPTS: onednnEnv });
const needTfjs = impls.some((i) => i !== 'torch');
const needTorch = impls.includes('torch');
const python = join(here, '.venv', 'bin', 'python');
if (needTorch && !existsSync(python))
  throw new Error(`${python} is missing: run bash bench/speed/setup.sh first (or pass --impls reference,fused)`);
const tfjs = needTfjs ? worker(process.execPath, [join(here, 'worker-tfjs.mjs')], tfEnv) : null;
const torch = needTorch
  ? worker(python, [join(here, 'torch_bench.py')], {
      DP_TORCH_THREADS: torchThreads,
      DP_TORCH_INTEROP_THREADS: torchInterop,
      OMP_NUM_THREADS: torchThreads,
    })
  : null;
const info = { tfjs: tfjs ? await tfjs.ready : null, torch: torch ? await torch.ready : null };

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const results = {}; // `${model}/${mode}/${impl}` -> images/s per repetition
const t0 = performance.now();
console.log(
  `bench/speed: batch ${batch}, ${reps} repetitions, tfjs-node (TF intra ${tfIntra}, inter ${tfInter}) vs torch ${info.torch?.torch ?? '-'} ` +
    `(threads ${torchThreads}, interop ${torchInterop}, OMP_WAIT_POLICY ${process.env.OMP_WAIT_POLICY ?? 'unset'}); ${availableParallelism()} CPUs, load average at start ${loadavg()[0].toFixed(2)}`,
);
console.log(`cpu: ${formatCpu(cpu, onednn)}`);
for (let rep = 0; rep < reps; rep++) {
  for (const model of models) {
    for (const mode of modes) {
      // Rotate the order every repetition so no implementation always runs first (or right after another).
      const modeImpls = impls;
      const order = modeImpls.map((_, i) => modeImpls[(i + rep) % modeImpls.length]);
      for (const impl of order) {
        const msg = {
          cmd: 'bench',
          model,
          mode,
          kind: impl,
          steps: stepsFor(model, mode),
          warmup: warmupFor(model, mode),
          batch,
        };
        const r = await (impl === 'torch' ? torch : tfjs).ask(msg);
        const ips = (batch * r.msPerStep.length * 1000) / r.msPerStep.reduce((a, b) => a + b, 0);
        (results[`${model}/${mode}/${impl}`] ??= []).push(ips);
        process.stderr.write(`  rep ${rep + 1}/${reps} ${model} ${mode} ${impl}: ${ips.toFixed(1)} images/s\n`);
      }
    }
  }
}
tfjs?.quit();
torch?.quit();

const rows = [];
for (const model of models) {
  for (const mode of modes) {
    const torchRuns = results[`${model}/${mode}/torch`];
    for (const impl of impls) {
      const r = results[`${model}/${mode}/${impl}`];
      if (!r) continue;
      const row = { model, mode, impl, median: median(r), min: Math.min(...r), max: Math.max(...r), runs: r };
      if (torchRuns && impl !== 'torch') {
        // Ratio of medians, and the spread of the per-repetition ratios (each pair measured back to back).
        const ratios = r.map((v, i) => v / torchRuns[i]);
        Object.assign(row, {
          ratio: row.median / median(torchRuns),
          ratioMin: Math.min(...ratios),
          ratioMax: Math.max(...ratios),
        });
      }
      rows.push(row);
    }
  }
}
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(
  `\n${pad('model', 9)} ${pad('step', 5)} ${pad('impl', 10)} ${lpad('images/s', 9)} ${lpad('min-max', 15)} ${lpad('vs torch', 9)} ${lpad('per-rep ratio', 14)}`,
);
for (const r of rows) {
  const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`;
  const rr = r.ratio === undefined ? '' : `${r.ratioMin.toFixed(2)}-${r.ratioMax.toFixed(2)}`;
  console.log(
    `${pad(r.model, 9)} ${pad(r.mode, 5)} ${pad(r.impl, 10)} ${lpad(r.median.toFixed(1), 9)} ${lpad(`${r.min.toFixed(1)}-${r.max.toFixed(1)}`, 15)} ${lpad(ratio, 9)} ${lpad(rr, 14)}`,
  );
}
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s; load average at end ${loadavg()[0].toFixed(2)}`);
if (jsonOut)
  writeFileSync(
    jsonOut,
    JSON.stringify({ cpu, onednn, batch, reps, tfIntra, tfInter, torchThreads, torchInterop, info, rows }, null, 2),
  );
