// Benchmark of @dp/policies against the built dist (run `npm run build -w @dp/policies` first):
//   npm run bench -w @dp/policies            (N = 1,281,167 = ImageNet-1k, pruneRatio 0.7)
//   node bench/policies.bench.mjs --n 50000 --reps 5
// select(): median/min/max wall time of `reps` selections, each at a new epoch (so every call re-selects and
// shuffles), after every sample has been observed `passes` + 1 times. observe(): samples/s over `passes` passes of N
// losses in batches of 1,024 in a shuffled order (Uint32Array ids, Float32Array losses: what a tfjs training step
// hands back; shuffled ids make the per-sample state updates random memory accesses, as in training).
// The machine may be shared: the "cpu" column is the process's CPU time per select (user + system), less
// sensitive to other processes than the wall-clock figures; run it a few times for a quiet measurement.
import { createPruner, policyNames, Rng } from '../dist/index.js';
import { cpus, loadavg } from 'node:os';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 1_281_167);
// --policies a,b: measure only these (default: every registered policy, one after another in this process).
const only = process.argv.includes('--policies') ? process.argv[process.argv.indexOf('--policies') + 1].split(',') : null;
const REPS = arg('reps', 15);
const PASSES = arg('passes', 5);
const BATCH = 1024;
const ratio = 0.7;

const rng = new Rng(12345);
const losses = new Float32Array(N);
for (let i = 0; i < N; i++) losses[i] = -Math.log(1 - rng.nextFloat() * 0.999); // exponential-ish losses
const staticScores = new Float32Array(N);
for (let i = 0; i < N; i++) staticScores[i] = rng.nextFloat();
const ids = new Uint32Array(N);
for (let i = 0; i < N; i++) ids[i] = i;
rng.shuffle(ids);

const rows = [];
for (const policy of policyNames().filter((p) => !only || only.includes(p))) {
  const extra = policy === 'static' ? { scores: staticScores } : {};
  const pruner = createPruner({ policy, datasetSize: N, pruneRatio: ratio, totalEpochs: 10 * REPS + 10, seed: 1, ...extra });
  // observe: one untimed pass (JIT warm-up and every sample's first observation, as select() below is warmed up
  // too), then PASSES timed passes over all samples: the steady state of training.
  const pass = () => {
    for (let s = 0; s < N; s += BATCH) {
      const e = Math.min(s + BATCH, N);
      pruner.observe(ids.subarray(s, e), losses.subarray(s, e));
    }
  };
  pass();
  let t = performance.now();
  for (let p = 0; p < PASSES; p++) pass();
  const observeSeconds = (performance.now() - t) / 1000;
  // select: a fresh re-selection at every call.
  const times = [];
  const cpuTimes = [];
  let kept = 0;
  for (let w = 0; w < 3; w++) pruner.select(w); // warm up the JIT: three full re-selections
  for (let r = 1; r <= REPS; r++) {
    const c = process.cpuUsage();
    t = performance.now();
    const sel = pruner.select(r + 2);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpuTimes.push((used.user + used.system) / 1000);
    kept = sel.kept;
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  rows.push({
    policy,
    'select median ms': times[Math.floor(times.length / 2)].toFixed(1),
    'select min ms': times[0].toFixed(1),
    'select max ms': times[times.length - 1].toFixed(1),
    'select cpu median ms': cpuTimes[Math.floor(cpuTimes.length / 2)].toFixed(1),
    kept,
    'observe M samples/s': ((PASSES * N) / observeSeconds / 1e6).toFixed(0),
    'bytes/sample': Number(pruner.bytesPerSample.toFixed(2)),
  });
}

console.log(`@dp/policies benchmark: N = ${N.toLocaleString('en')}, pruneRatio ${ratio}, ${REPS} selections, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)}`);
const cols = Object.keys(rows[0]);
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`;
console.log(line(cols));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(cols.map((c) => r[c])));
