#!/usr/bin/env node
// All-reduce cost through TensorFlow's collective runtime on loopback: N local worker processes (TF_CONFIG on free
// ports) average a gradient buffer of a model's parameter count, as a data-parallel step does (one fused all-reduce).
//
//   node packages/distributed/bench/allreduce.mjs [--workers 2] [--models resnet20,resnet18,resnet50] [--iters 5]
//
// Prints, per model: floats, bytes each worker contributes per step (4 x parameters), median ms per all-reduce,
// throughput (those bytes / time, MB/s = 1e6 B/s) and the ring's bus bandwidth (2 (N-1)/N x bytes / time).
// Needs the package built (npm run build) and its addon (npm run setup).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MODELS = { resnet20: 272_474, resnet18: 11_689_512, resnet50: 25_557_032 };

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function child() {
  const { joinCluster, readTfConfig, GradientAverager } = await import('../dist/index.js');
  const c = await joinCluster({ cluster: readTfConfig(), timeoutMs: 600_000 });
  const averager = new GradientAverager(c);
  const iters = Number(arg('iters', '5'));
  const rows = [];
  for (const model of arg('models', 'resnet20,resnet18').split(',')) {
    const n = MODELS[model];
    if (!n) throw new Error(`--models: unknown model ${model}; fix: use ${Object.keys(MODELS).join(', ')}`);
    const grads = [{ name: model, values: new Float32Array(n).fill(c.rank + 1) }];
    const mean = await averager.average(grads); // warm-up (and the one-off layout check)
    if (mean[0].values[n - 1] !== (c.worldSize + 1) / 2) throw new Error(`wrong mean ${mean[0].values[n - 1]}`);
    const times = [];
    for (let i = 0; i < iters; i++) {
      const t = process.hrtime.bigint();
      await averager.average(grads);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    rows.push({ model, n, ms: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1) });
  }
  await c.close();
  if (c.rank === 0) process.stdout.write(`${JSON.stringify(rows)}\n`);
  process.exit(0);
}

async function parent() {
  const workers = Number(arg('workers', '2'));
  const servers = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise((res) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const addresses = servers.map((s) => `127.0.0.1:${s.address().port}`);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  let out = '';
  const codes = await Promise.all(
    addresses.map(
      (_, index) =>
        new Promise((resolve) => {
          const TF_CONFIG = JSON.stringify({ cluster: { worker: addresses }, task: { type: 'worker', index } });
          const p = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
            env: { ...process.env, TF_CONFIG, DP_BENCH_CHILD: '1', TF_CPP_MIN_LOG_LEVEL: '2' },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          p.stdout.on('data', (d) => (out += d));
          p.on('exit', resolve);
        }),
    ),
  );
  if (codes.some((c) => c !== 0)) {
    console.error(`a worker failed (exit codes ${codes.join(', ')})`);
    process.exit(1);
  }
  console.log(
    `all-reduce (mean) of one fused float32 gradient buffer, ${workers} workers on loopback (TensorFlow ring collectives over gRPC)`,
  );
  console.log('model      parameters   MB/step/worker   median ms   (min-max)        MB/s   bus MB/s');
  for (const r of JSON.parse(out)) {
    const mb = (4 * r.n) / 1e6;
    const bus = (2 * (workers - 1)) / workers;
    console.log(
      `${r.model.padEnd(10)} ${String(r.n).padStart(10)}   ${mb.toFixed(2).padStart(14)}   ${r.ms.toFixed(1).padStart(9)}   (${r.min.toFixed(0)}-${r.max.toFixed(0)})`.padEnd(
        70,
      ) + `${(mb / (r.ms / 1000)).toFixed(0).padStart(5)}   ${((bus * mb) / (r.ms / 1000)).toFixed(0).padStart(8)}`,
    );
  }
}

await (process.env.DP_BENCH_CHILD ? child() : parent());
