// A/B of select() between two builds of @dp/policies, interleaved call by call in one process with the reference
// quickselect of policies.bench.mjs, so that machine load hits both alike; every call also checks that both builds
// return identical selections (ids and weights). CPU time (process.cpuUsage) per call.
//   mkdir -p /tmp/dp-old && git archive <rev> packages/policies/src | tar -x -C /tmp/dp-old
//   ln -s "$(git rev-parse --show-toplevel)/node_modules" /tmp/dp-old/node_modules   (so that @dp/internal resolves)
//   npx esbuild /tmp/dp-old/packages/policies/src/index.ts --bundle --platform=node --format=esm --target=es2022 --outfile=/tmp/dp-old/index.js
//   node bench/ab.bench.mjs /tmp/dp-old/index.js [--reps 21] [--policies ucb,seta]
// (the second build defaults to this package's dist: `npx turbo run build --filter=@dp/policies` first).
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchData, floydRivest } from './common.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const paths = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--')));
if (paths.length < 1)
  throw new Error('usage: node bench/ab.bench.mjs OLD_DIST_INDEX_JS [NEW_DIST_INDEX_JS] [--reps N] [--policies a,b]');
const load = (p) => import(pathToFileURL(resolve(p)).href);
const A = await load(paths[0]);
const B = await load(paths[1] ?? new URL('../dist/index.js', import.meta.url).pathname);
const REPS = Number(arg('reps', '21'));
const only = arg('policies', null)?.split(',');
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const N = 1_281_167;
const ratio = 0.7;
const { losses, staticScores, ids } = benchData(B.Rng, N);

// The reference of policies.bench.mjs: copy the scores, Floyd-Rivest select of the top k in place.
const keep = N - Math.floor(ratio * N);
const scratch = new Float32Array(N);
const reference = () => {
  scratch.set(losses);
  floydRivest(scratch, N - keep, 0, N - 1);
};
for (let w = 0; w < 3; w++) reference();

const cpuMs = (f) => {
  const c = process.cpuUsage();
  f();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const least = (a) => Math.min(...a);
const f1 = (x) => x.toFixed(1);

console.log(
  `A ${paths[0]} vs B ${paths[1] ?? 'this dist'}: N = ${N.toLocaleString('en')}, pruneRatio ${ratio}, ${REPS} interleaved selections, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)}`,
);
console.log(
  '| policy | A cpu median / min ms | B cpu median / min ms | reference cpu median / min ms | A x ref (median) | B x ref (median) | B x ref (min) | B / A (median) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const policy of B.policyNames().filter((p) => !only || only.includes(p))) {
  collectGarbage();
  const config = {
    policy,
    datasetSize: N,
    pruneRatio: ratio,
    totalEpochs: 10 * REPS + 10,
    seed: 1,
    ...(policy === 'static' ? { scores: staticScores } : {}),
  };
  const a = A.createPruner(config);
  const b = B.createPruner(config);
  for (let pass = 0; pass < 3; pass++) {
    for (let s = 0; s < N; s += 1024) {
      const e = Math.min(s + 1024, N);
      a.observe(ids.subarray(s, e), losses.subarray(s, e));
      b.observe(ids.subarray(s, e), losses.subarray(s, e));
    }
  }
  for (let w = 0; w < 3; w++) {
    a.select(w);
    b.select(w);
  }
  const ta = [];
  const tb = [];
  const tr = [];
  for (let r = 0; r < REPS; r++) {
    let sa;
    let sb;
    // Alternate which build goes first.
    if (r % 2 === 0) tb.push(cpuMs(() => (sb = b.select(r + 3))));
    ta.push(cpuMs(() => (sa = a.select(r + 3))));
    if (r % 2 === 1) tb.push(cpuMs(() => (sb = b.select(r + 3))));
    tr.push(cpuMs(reference));
    const same =
      sa.indices.length === sb.indices.length &&
      sa.indices.every((id, i) => id === sb.indices[i] && sa.weights[i] === sb.weights[i]);
    if (!same) throw new Error(`${policy}: the two builds selected differently at epoch ${r + 3}`);
  }
  const [ma, mb, mr] = [median(ta), median(tb), median(tr)];
  console.log(
    `| ${policy} | ${f1(ma)} / ${f1(least(ta))} | ${f1(mb)} / ${f1(least(tb))} | ${f1(mr)} / ${f1(least(tr))} | ${(ma / mr).toFixed(2)} | ${(mb / mr).toFixed(2)} | ` +
      `${(least(tb) / least(tr)).toFixed(2)} | ${(mb / ma).toFixed(2)} |`,
  );
}
