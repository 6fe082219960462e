#!/usr/bin/env node
// What a data-parallel step costs in communication, through TensorFlow's collective runtime on loopback: N local
// worker processes (TF_CONFIG on free ports) make the collectives @dp/trainer makes per step — one all-reduce (sum) of
// a float32 buffer of the model's trainable parameters, and one all-gather of the step's samples — plus a 1-float
// all-reduce (the latency floor of one collective). Not a test: run it by hand, on a quiet machine for figures.
//
//   node packages/distributed/bench/allreduce.mjs [--workers 2] [--models cnn-small,resnet20,resnet50] [--iters 10]
//        [--per-worker 64] [--json FILE]
//
// Parameter counts come from @dp/models (cnn-small at Fashion-MNIST's 28x28x1, the CIFAR ResNets at 32x32x3 with
// 10 classes, the ImageNet ResNets at 224x224x3 with 1000). Prints, per row: values, bytes each worker contributes
// (4 x parameters for the gradients), median / min / max ms per collective, throughput (bytes / time, MB = 1e6 B)
// and the ring's bus bandwidth (2 (N-1)/N x bytes / time); then the workers' CPU time against the wall time (a
// CPU-starved run shows far less CPU than N x wall). Writes the same as JSON, with the CPU and load average, to
// FILE (default bench/results/allreduce-<date>-<N>w.json beside this script).
// Needs the packages built (npm run build) and the addon (npm run setup).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const INPUTS = {
  'cnn-small': { inputShape: [28, 28, 1], numClasses: 10 },
  mlp: { inputShape: [28, 28, 1], numClasses: 10 },
  resnet20: { inputShape: [32, 32, 3], numClasses: 10 },
  resnet56: { inputShape: [32, 32, 3], numClasses: 10 },
  resnet18: { inputShape: [224, 224, 3], numClasses: 1000 },
  resnet50: { inputShape: [224, 224, 3], numClasses: 1000 },
};

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
function positiveInt(name, fallback) {
  const v = Number(arg(name, fallback));
  if (!Number.isInteger(v) || v < 1) fail(`--${name} ${arg(name, fallback)} is invalid: expected an integer >= 1`);
  return v;
}
function fail(message) {
  console.error(`allreduce.mjs: ${message}`);
  process.exit(2);
}

/** The collectives to time: [{ name, kind: 'reduce' | 'gather', type, length, parameters? }]. */
async function plan() {
  const names = arg('models', 'cnn-small,resnet20,resnet50').split(',');
  for (const n of names)
    if (!INPUTS[n]) fail(`--models: unknown model ${n}; fix: use some of ${Object.keys(INPUTS).join(', ')}`);
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  await import('@tensorflow/tfjs-node');
  const { buildModel } = await import('@dp/models');
  const size = (w) => w.shape.reduce((a, b) => a * b, 1);
  const per = positiveInt('per-worker', '64');
  const rows = [
    { name: 'latency (1 float)', kind: 'reduce', type: 'Float32Array', length: 1 },
    // The trainer's per-step all-gather: ids, labels, losses, hits of B/W samples and a stop flag, as float64.
    { name: `step samples (${per}/worker)`, kind: 'gather', type: 'Float64Array', length: 4 * per + 1 },
  ];
  for (const name of names) {
    const model = buildModel(name, { ...INPUTS[name], seed: 0 });
    const trainable = model.trainableWeights.reduce((n, w) => n + size(w), 0);
    const other = model.nonTrainableWeights.reduce((n, w) => n + size(w), 0);
    model.dispose();
    rows.push({ name, kind: 'reduce', type: 'Float32Array', length: trainable, nonTrainable: other });
  }
  return rows;
}

async function child() {
  const { joinCluster, readTfConfig } = await import('../dist/index.js');
  const rows = JSON.parse(process.env.DP_BENCH_ROWS);
  const iters = positiveInt('iters', '10');
  const c = await joinCluster({ cluster: readTfConfig(), timeoutMs: 600_000 });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const out = [];
  for (const row of rows) {
    const data = new globalThis[row.type](row.length).fill(c.rank + 1);
    const call = () => (row.kind === 'reduce' ? c.allReduce(data, 'sum') : c.allGather(data));
    const first = await call(); // warm-up, checked
    const expect = row.kind === 'reduce' ? (c.worldSize * (c.worldSize + 1)) / 2 : c.worldSize;
    if (first.at(-1) !== expect) throw new Error(`${row.name}: wrong result ${first.at(-1)}, expected ${expect}`);
    const times = [];
    for (let i = 0; i < iters; i++) {
      const t = process.hrtime.bigint();
      await call();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    out.push({ ...row, medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times.at(-1) });
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  await c.close();
  process.stdout.write(
    `${JSON.stringify({ rank: c.rank, rows: c.rank === 0 ? out : undefined, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: wall })}\n`,
  );
  process.exit(0);
}

async function freeAddresses(n) {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((res) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const addresses = servers.map((s) => `127.0.0.1:${s.address().port}`);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return addresses;
}

async function parent() {
  const workers = positiveInt('workers', '2');
  const iters = positiveInt('iters', '10');
  const rows = await plan();
  const { describeCpu, formatCpu } = await import('@dp/trainer');
  const cpu = describeCpu();
  const loadStart = loadavg();
  const started = new Date();
  const addresses = await freeAddresses(workers);
  const reports = [];
  const codes = await Promise.all(
    addresses.map(
      (_, index) =>
        new Promise((resolve) => {
          const TF_CONFIG = JSON.stringify({ cluster: { worker: addresses }, task: { type: 'worker', index } });
          const p = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
            env: {
              ...process.env,
              TF_CONFIG,
              DP_BENCH_CHILD: '1',
              DP_BENCH_ROWS: JSON.stringify(rows),
              TF_CPP_MIN_LOG_LEVEL: '2',
            },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          p.stdout.on('data', (d) => (out += d));
          p.on('close', (code) => {
            if (code === 0) reports.push(JSON.parse(out));
            resolve(code);
          });
        }),
    ),
  );
  if (codes.some((c) => c !== 0)) fail(`a worker failed (exit codes ${codes.join(', ')})`);
  reports.sort((a, b) => a.rank - b.rank);
  const loadEnd = loadavg();
  const bus = (2 * (workers - 1)) / workers;
  const results = reports[0].rows.map((r) => {
    const bytes = (r.type === 'Float64Array' ? 8 : 4) * r.length;
    return {
      ...r,
      bytesPerWorker: bytes,
      mbPerSecond: bytes / 1e6 / (r.medianMs / 1000),
      busMbPerSecond: (bus * bytes) / 1e6 / (r.medianMs / 1000),
    };
  });
  console.log(
    `${workers} workers on loopback, TensorFlow's collectives over gRPC (ring all-reduce); ${iters} timed calls per row after one warm-up`,
  );
  console.log(
    `CPU: ${formatCpu(cpu)}; load average ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end`,
  );
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(
    `${pad('collective', 24)} ${pad('op', 10)} ${lpad('values', 10)} ${lpad('MB/worker', 10)} ${lpad('median ms', 10)} ${lpad('min-max ms', 16)} ${lpad('MB/s', 8)} ${lpad('bus MB/s', 9)}`,
  );
  for (const r of results) {
    console.log(
      `${pad(r.name, 24)} ${pad(r.kind === 'reduce' ? 'all-reduce' : 'all-gather', 10)} ${lpad(r.length, 10)} ${lpad((r.bytesPerWorker / 1e6).toFixed(3), 10)} ${lpad(r.medianMs.toFixed(2), 10)} ${lpad(`${r.minMs.toFixed(1)}-${r.maxMs.toFixed(1)}`, 16)} ${lpad(r.mbPerSecond.toFixed(1), 8)} ${lpad(r.kind === 'reduce' ? r.busMbPerSecond.toFixed(1) : '', 9)}`,
    );
  }
  const cpuSeconds = reports.map((r) => r.cpuSeconds);
  const wall = Math.max(...reports.map((r) => r.wallSeconds));
  console.log(
    `workers' CPU ${cpuSeconds.map((s) => s.toFixed(1)).join(' + ')} s in ${wall.toFixed(1)} s of wall time (${availableParallelism()} CPUs; well under ${workers} x wall = CPU-starved, not network-bound)`,
  );
  const file =
    arg('json', '') ||
    join(here, 'results', `allreduce-${started.toISOString().slice(0, 16).replace(':', '-')}-${workers}w.json`);
  mkdirSync(dirname(file), { recursive: true });
  const record = {
    date: started.toISOString(),
    command: `node packages/distributed/bench/allreduce.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    cpu: { ...cpu, cpus: availableParallelism(), ...(cpus()[0]?.speed ? { speedMHz: cpus()[0].speed } : {}) },
    loadAverage: { start: loadStart, end: loadEnd },
    node: process.version,
    workers,
    iters,
    rows: results,
    workerCpuSeconds: cpuSeconds,
    wallSeconds: wall,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`written: ${file}`);
}

await (process.env.DP_BENCH_CHILD ? child() : parent());
