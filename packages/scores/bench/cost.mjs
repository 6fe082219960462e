// Cost of each score's update per training step, against a measured training step of the default model.
//   npx turbo run build --filter=@dp/scores... && node packages/scores/bench/cost.mjs [--quick]
// Batch 128, 10 and 100 classes, dataset of 60,000 samples. Timings are medians over repeats (performance.now).
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const { buildModel } = await import('@dp/models');
const { getScore, scoreNames } = await import('../dist/index.js');
const { perSampleGradNorms, lastLayerInputs } = await import('../dist/tfjs.js');

const quick = process.argv.includes('--quick');
const B = 128;
const N = 60_000;

/** Deterministic generator (mulberry32), so every run times the same numbers. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

// ---- one training step of cnn-small at batch 128 (as @dp/trainer does it: per-sample CE, momentum SGD) ----
function trainingStepMs() {
  const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  const opt = tf.train.momentum(0.01, 0.9);
  const vars = model.trainableWeights.map((w) => w.read());
  const x = tf.randomUniform([B, 28, 28, 1], 0, 1, 'float32', 1);
  const labels = tf.tensor1d(
    Int32Array.from({ length: B }, (_, i) => i % 10),
    'int32',
  );
  const y = tf.oneHot(labels, 10);
  const step = () => {
    let per;
    const cost = opt.minimize(
      () => {
        const logits = model.apply(x, { training: true });
        const losses = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE);
        per = tf.keep(losses);
        return tf.mean(losses);
      },
      true,
      vars,
    );
    per.dataSync();
    tf.dispose([per, cost]);
  };
  for (let i = 0; i < 3; i++) step();
  const times = [];
  for (let i = 0; i < (quick ? 5 : 15); i++) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  const out = { ms: median(times), model, x, labels };
  tf.dispose([y]);
  return out;
}

function makeBatches(k, count, seed) {
  const r = rng(seed);
  const perm = Uint32Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const out = [];
  for (let b = 0; b < count; b++) {
    const ids = perm.slice((b * B) % (N - B), ((b * B) % (N - B)) + B);
    const logits = Float32Array.from({ length: B * k }, () => (r() - 0.5) * 8);
    const labels = Int32Array.from({ length: B }, () => Math.floor(r() * k));
    const losses = Float32Array.from({ length: B }, () => r() * 3);
    const correct = Uint8Array.from({ length: B }, () => (r() < 0.7 ? 1 : 0));
    const gradNorms = Float32Array.from({ length: B }, () => r() * 5);
    const featureSqNorms = Float32Array.from({ length: B }, () => r() * 100);
    let batchLoss = 0;
    for (const l of losses) batchLoss += l / B;
    out.push({ ids, numClasses: k, logits, labels, losses, correct, gradNorms, featureSqNorms, batchLoss });
  }
  return out;
}

/** Only the inputs a score declares (so derivations are not hidden), as a trainer would pass them. */
function forScore(score, b) {
  const o = { ids: b.ids };
  for (const i of score.inputs) {
    o[i] = b[i];
    if (i === 'logits') o.numClasses = b.numClasses;
  }
  return o;
}

function updateUs(name, batches, derive = false) {
  const score = getScore(name);
  const t = score.create(N);
  const feed = derive
    ? batches.map((b) => ({ ids: b.ids, logits: b.logits, numClasses: b.numClasses, labels: b.labels }))
    : batches.map((b) => forScore(score, b));
  for (const b of feed) t.update(b); // warm-up / JIT
  const reps = [];
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const t0 = performance.now();
    for (const b of feed) t.update(b);
    reps.push(((performance.now() - t0) * 1000) / feed.length);
  }
  return median(reps);
}

const step = trainingStepMs();
console.log(
  `training step, cnn-small, batch ${B}, 28x28x1, 10 classes (tfjs-node ${tf.version.tfjs}, backend ${tf.getBackend()}): ${step.ms.toFixed(1)} ms (median)`,
);
console.log('');
console.log(
  'score              inputs given                     classes  update µs/batch  % of measured step  % of 100 ms step',
);
const rows = [];
for (const k of [10, 100]) {
  const batches = makeBatches(k, quick ? 100 : 400, 7 + k);
  for (const name of scoreNames()) {
    const score = getScore(name);
    const us = updateUs(name, batches);
    rows.push([name, score.inputs.join('+'), k, us]);
    if (score.inputs.some((i) => i === 'losses' || i === 'correct' || i === 'batchLoss')) {
      rows.push([name, 'logits+labels (derived)', k, updateUs(name, batches, true)]);
    }
  }
}
for (const [name, inputs, k, us] of rows) {
  const pct = (ms) => `${((us / 1000 / ms) * 100).toFixed(3)}%`;
  console.log(
    `${name.padEnd(18)} ${inputs.padEnd(32)} ${String(k).padStart(7)}  ${us.toFixed(1).padStart(15)}  ${pct(step.ms).padStart(18)}  ${pct(100).padStart(16)}`,
  );
}

// ---- the tfjs parts: exact GraNd (per-sample gradients) and the last-layer inputs ----
console.log('');
const labels = Int32Array.from(step.labels.dataSync());
perSampleGradNorms(step.model, tf.slice(step.x, [0], [8]), labels.subarray(0, 8)); // warm-up
const g = [];
for (let r = 0; r < (quick ? 1 : 3); r++) {
  const t0 = performance.now();
  perSampleGradNorms(step.model, step.x, labels);
  g.push(performance.now() - t0);
}
const gm = median(g);
console.log(
  `grand (exact): perSampleGradNorms, batch ${B}, cnn-small: ${gm.toFixed(0)} ms = ${(gm / B).toFixed(2)} ms/sample = ${(gm / step.ms).toFixed(1)}x a training step`,
);
lastLayerInputs(step.model, step.x);
const l = [];
for (let r = 0; r < (quick ? 3 : 7); r++) {
  const t0 = performance.now();
  lastLayerInputs(step.model, step.x);
  l.push(performance.now() - t0);
}
const lm = median(l);
console.log(
  `grand-last-layer: lastLayerInputs forward pass (static scoring only), batch ${B}: ${lm.toFixed(1)} ms = ${((lm / step.ms) * 100).toFixed(0)}% of a step; in training use withPenultimate(model) instead (no extra pass)`,
);
console.log(
  `memory: ${scoreNames()
    .map((n) => `${n} ${getScore(n).create(1).bytesPerSample} B`)
    .join(', ')} per sample`,
);
