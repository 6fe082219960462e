// Benchmark of @dp/policies against the built dist (run `npm run build -w @dp/policies` first):
//   npm run bench -w @dp/policies            (N = 1,281,167 = ImageNet-1k, pruneRatio 0.7)
//   node bench/policies.bench.mjs --n 50000 --reps 5
// select(): median/min/max wall time of `reps` selections, each at a new epoch (so every call re-selects and
// shuffles), after every sample has been observed `passes` + 1 times. observe(): samples/s over `passes` passes of N
// losses in batches of 1,024 in a shuffled order (Uint32Array ids, Float32Array losses: what a tfjs training step
// hands back; shuffled ids make the per-sample state updates random memory accesses, as in training).
// The machine may be shared: the "cpu" column is the process's CPU time per select (user + system), less
// sensitive to other processes than the wall-clock figures; run it a few times for a quiet measurement.
// Reference: "x quickselect" is each policy's select median over the median of a plain top-k quickselect (copy the N
// float32 losses into a scratch Float32Array, then Floyd-Rivest select in place so the k largest end up at the top),
// timed `reps` times interleaved with that policy's selections (one reference call after each select, so both see
// the same machine load); the "quickselect (reference)" row gives the median over all of them. "x quickselect
// (cpu)" is the same ratio of CPU-time medians (both timed by process.cpuUsage, GC threads included): on a machine
// shared with other jobs the wall-clock ratio mostly measures the scheduler, the CPU-time ratio the code.
import { createPruner, policyNames, Rng } from '../dist/index.js';
import { benchData, floydRivest } from './common.mjs';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full garbage collection before each policy, so that the arrays of the policies measured before it (tens of MB
// at this N) are not collected on its clock: each policy pays for its own garbage only, as in a training run.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 1_281_167);
// --policies a,b: measure only these (default: every registered policy, one after another in this process).
const only = process.argv.includes('--policies')
  ? process.argv[process.argv.indexOf('--policies') + 1].split(',')
  : null;
const REPS = arg('reps', 15);
// --sampler 1: time the selection-algorithm version 1 (what runs resuming checkpoints written before versions use);
// default: the version new pruners select with.
const SAMPLER = arg('sampler', 0);
const PASSES = arg('passes', 5);
const BATCH = 1024;
const ratio = 0.7;

const { losses, staticScores, ids } = benchData(Rng, N);

const keep = N - Math.floor(ratio * N);
const scratch = new Float32Array(N);
/** One reference top-k: copy the scores, select in place; the k largest are then scratch[N - k, N). */
const quickselectTop = () => {
  scratch.set(losses);
  floydRivest(scratch, N - keep, 0, N - 1);
  return scratch[N - keep];
};
{
  // Check the reference once (untimed), then warm it up like the policies' select.
  quickselectTop();
  const t = scratch[N - keep];
  for (let i = 0; i < N; i++)
    if (i < N - keep ? scratch[i] > t : scratch[i] < t) throw new Error('quickselect reference is wrong');
  for (let w = 0; w < 2; w++) quickselectTop();
}
const refAll = [];
const refCpuAll = [];

const rows = [];
for (const policy of policyNames().filter((p) => !only || only.includes(p))) {
  const extra = policy === 'static' ? { scores: staticScores } : {};
  collectGarbage();
  const config = { policy, datasetSize: N, pruneRatio: ratio, totalEpochs: 10 * REPS + 10, seed: 1, ...extra };
  let pruner = createPruner(config);
  if (SAMPLER) {
    // A fresh pruner's state with the chosen version (version 1 writes no field), as a resumed checkpoint holds it.
    const { sampler: _latest, ...state } = pruner.state();
    pruner = createPruner(config, SAMPLER === 1 ? state : { ...state, sampler: SAMPLER });
  }
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
  const refTimes = [];
  const refCpuTimes = [];
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
    const rc = process.cpuUsage();
    t = performance.now();
    quickselectTop();
    refTimes.push(performance.now() - t);
    const refUsed = process.cpuUsage(rc);
    refCpuTimes.push((refUsed.user + refUsed.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  refTimes.sort((a, b) => a - b);
  refCpuTimes.sort((a, b) => a - b);
  refAll.push(...refTimes);
  refCpuAll.push(...refCpuTimes);
  const median = (a) => a[Math.floor(a.length / 2)];
  rows.push({
    policy,
    'select median ms': times[Math.floor(times.length / 2)].toFixed(1),
    'select min ms': times[0].toFixed(1),
    'select max ms': times[times.length - 1].toFixed(1),
    'select cpu median ms': cpuTimes[Math.floor(cpuTimes.length / 2)].toFixed(1),
    'x quickselect': (median(times) / median(refTimes)).toFixed(2),
    'x quickselect (cpu)': (median(cpuTimes) / median(refCpuTimes)).toFixed(2),
    kept,
    'observe M samples/s': ((PASSES * N) / observeSeconds / 1e6).toFixed(0),
    'bytes/sample': Number(pruner.bytesPerSample.toFixed(2)),
  });
}

if (rows.length > 0) {
  refAll.sort((a, b) => a - b);
  refCpuAll.sort((a, b) => a - b);
  const ref = { policy: 'quickselect (reference)' };
  for (const col of Object.keys(rows[0]).slice(1)) ref[col] = '';
  Object.assign(ref, {
    'select median ms': refAll[Math.floor(refAll.length / 2)].toFixed(1),
    'select min ms': refAll[0].toFixed(1),
    'select max ms': refAll[refAll.length - 1].toFixed(1),
    'select cpu median ms': refCpuAll[Math.floor(refCpuAll.length / 2)].toFixed(1),
    'x quickselect': '1.00',
    'x quickselect (cpu)': '1.00',
    kept: keep,
  });
  rows.push(ref);
}

console.log(
  `@dp/policies benchmark: N = ${N.toLocaleString('en')}, pruneRatio ${ratio}, ${REPS} selections, sampler ${SAMPLER || 'latest'}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)}`,
);
const cols = Object.keys(rows[0]);
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`;
console.log(line(cols));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(cols.map((c) => r[c])));
