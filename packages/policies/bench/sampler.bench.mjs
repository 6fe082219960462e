// Selection-algorithm versions side by side: per policy, a version-1 pruner (a fresh state without `sampler`, as
// every checkpoint written before versions holds it), a version-2 pruner and the reference top-k quickselect of
// policies.bench.mjs, timed interleaved call by call in one process (CPU time, process.cpuUsage), so machine load hits
// all three alike. Against the built dist (`npx turbo run build --filter=@dp/policies` first):
//   node bench/sampler.bench.mjs [--reps 21] [--policies random,seta]
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPruner, policyNames, Rng } from '../dist/index.js';
import { benchData, floydRivest } from './common.mjs';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = 1_281_167;
const ratio = 0.7;
const REPS = Number(arg('reps', '21'));
const only = arg('policies', null)?.split(',');
const { losses, staticScores, ids } = benchData(Rng, N);
const keep = N - Math.floor(ratio * N);
const scratch = new Float32Array(N);
const quickselectTop = () => {
  scratch.set(losses);
  floydRivest(scratch, N - keep, 0, N - 1);
};
const cpuMs = (f) => {
  const c = process.cpuUsage();
  f();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];

console.log(
  `selection versions: N = ${N.toLocaleString('en')}, pruneRatio ${ratio}, ${REPS} selections, CPU ms medians (x reference), node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)}`,
);
for (const policy of policyNames().filter((p) => !only || only.includes(p))) {
  collectGarbage();
  const config = { policy, datasetSize: N, pruneRatio: ratio, totalEpochs: 10 * REPS + 10, seed: 1 };
  if (policy === 'static') config.scores = staticScores;
  const v2 = createPruner(config);
  const { sampler: _latest, ...state } = v2.state();
  const v1 = createPruner(config, state);
  for (const p of [v1, v2])
    for (let s = 0; s < N; s += 1024) p.observe(ids.subarray(s, s + 1024), losses.subarray(s, s + 1024));
  for (let w = 0; w < 3; w++) {
    v1.select(w);
    v2.select(w);
    quickselectTop();
  }
  const [t1, t2, tq] = [[], [], []];
  for (let r = 1; r <= REPS; r++) {
    t1.push(cpuMs(() => v1.select(r + 2)));
    t2.push(cpuMs(() => v2.select(r + 2)));
    tq.push(cpuMs(quickselectTop));
  }
  const [a, b, q] = [median(t1), median(t2), median(tq)];
  const cell = (x) => `${x.toFixed(1).padStart(6)} (${(x / q).toFixed(2)})`;
  console.log(`${policy.padEnd(16)} version 1 ${cell(a)}   version 2 ${cell(b)}   reference ${q.toFixed(1)}`);
}
