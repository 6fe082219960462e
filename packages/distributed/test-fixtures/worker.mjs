// One worker of the multi-process tests (src/collective.test.ts): joins the cluster in TF_CONFIG, runs the
// collectives a scenario names, and prints one JSON line per result on stdout. Uses the built package (dist/).
import { GradientAverager, joinCluster, readTfConfig } from '../dist/index.js';

const scenario = process.argv[2];
const out = (o) => process.stdout.write(`${JSON.stringify({ ...o, at: Date.now() })}\n`);
const cluster = readTfConfig();
const t0 = Date.now();
try {
  out({ event: 'joining', rank: cluster?.rank });
  const c = await joinCluster({
    cluster,
    timeoutMs: Number(process.env.DP_TEST_TIMEOUT_MS ?? 60_000),
    startupTimeoutMs: Number(process.env.DP_TEST_STARTUP_MS ?? 120_000),
    healthCheckIntervalMs: 500,
    healthCheckTimeoutMs: 2000,
  });
  out({ event: 'joined', rank: c.rank, worldSize: c.worldSize, ms: Date.now() - t0 });
  const r = c.rank;
  if (scenario === 'reduce-gather') {
    // Known arrays: worker r holds [r+1, 2(r+1), ..., n(r+1)] (exact in float32) and ids r*10 + [0, 1, 2].
    const n = 1000;
    const data = Float32Array.from({ length: n }, (_, i) => (i + 1) * (r + 1));
    const sum = await c.allReduce(data, 'sum');
    const mean = await c.allReduce(data, 'mean');
    const max = await c.allReduce(data, 'max');
    const gathered = await c.allGather(Float32Array.of(r, r + 0.5));
    const ids = await c.allGather(Int32Array.of(r * 10, r * 10 + 1, r * 10 + 2));
    // Gradients of a two-variable model: worker r's are w = [r, 2r, 3r], b = [r + 1]; averaged in one collective.
    const averaged = await new GradientAverager(c).average([
      { name: 'w', values: Float32Array.of(r, 2 * r, 3 * r) },
      { name: 'b', values: Float32Array.of(r + 1) },
    ]);
    const grads = Object.fromEntries(averaged.map((g) => [g.name, Array.from(g.values)]));
    // Issued without waiting: the first starts at once (the addon copies x then), the second is queued on a copy.
    const x = Float32Array.of(r + 1, r + 1);
    const p1 = c.allReduce(x);
    x.fill(100);
    const p2 = c.allReduce(x);
    x.fill(-1);
    const [q1, q2] = await Promise.all([p1, p2]);
    // Last, a large all-reduce (4 MiB): a worker that exits right after it could still be needed by its peer;
    // close() must keep every worker alive until all are done (every worker then exits 0).
    const big = await c.allReduce(new Float32Array(1 << 20).fill(r + 1));
    out({
      event: 'result',
      rank: r,
      queued: [...q1, ...q2],
      big: [big[0], big[big.length - 1]],
      sum: Array.from(sum),
      mean: Array.from(mean),
      max: Array.from(max),
      gathered: Array.from(gathered),
      ids: Array.from(ids),
      input: Array.from(data.subarray(0, 3)),
      grads,
    });
  } else if (scenario === 'kill') {
    // Steps until a collective fails; the test kills one worker after a few.
    for (let step = 0; ; step++) {
      const s = await c.allReduce(Float32Array.of(step, 1), 'sum');
      out({ event: 'step', rank: r, step, sum: s[1] });
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  await c.close();
  const afterClose = await c.allReduce(Float32Array.of(1)).then(
    () => 'resolved',
    (e) => e.message,
  );
  out({ event: 'done', rank: r, afterClose });
  process.exit(0);
} catch (e) {
  out({
    event: 'error',
    rank: cluster?.rank,
    ms: Date.now() - t0,
    name: e.name,
    message: e.message,
    code: e.code,
    field: e.field,
  });
  process.exit(3);
}
