// Selection-algorithm versions side by side: per policy, one pruner per version (version 1: a fresh state without
// `sampler`, as every checkpoint written before versions holds it; 2 and 3: the state with that `sampler`) and the
// reference top-k quickselect of policies.bench.mjs, timed interleaved call by call in one process (CPU time,
// process.cpuUsage), so machine load hits all of them alike. Against the built dist
// (`npx turbo run build --filter=@dp/policies` first):
//   node bench/sampler.bench.mjs [--reps 21] [--policies random,seta] [--versions 2,3]
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPruner, policyNames, Rng, SAMPLER_VERSIONS } from '../dist/index.js';
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
const versions = arg('versions', SAMPLER_VERSIONS.join(',')).split(',').map(Number);
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
  const { sampler: _latest, ...state } = createPruner(config).state();
  // Version 1 writes no field; the others name theirs.
  const pruners = versions.map((v) => createPruner(config, v === 1 ? state : { ...state, sampler: v }));
  for (const p of pruners)
    for (let s = 0; s < N; s += 1024) p.observe(ids.subarray(s, s + 1024), losses.subarray(s, s + 1024));
  for (let w = 0; w < 3; w++) {
    for (const p of pruners) p.select(w);
    quickselectTop();
  }
  const times = pruners.map(() => []);
  const tq = [];
  for (let r = 1; r <= REPS; r++) {
    pruners.forEach((p, i) => times[i].push(cpuMs(() => p.select(r + 2))));
    tq.push(cpuMs(quickselectTop));
  }
  const q = median(tq);
  const cell = (x) => `${x.toFixed(1).padStart(6)} (${(x / q).toFixed(2)})`;
  const cells = versions.map((v, i) => `version ${v} ${cell(median(times[i]))}`).join('   ');
  console.log(`${policy.padEnd(16)} ${cells}   reference ${q.toFixed(1)}`);
}
