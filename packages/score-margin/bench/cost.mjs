// Cost of the margin score's update beside EL2N's, per batch of 128 at 10 and 100 classes, into a tracker of
// 60,000 samples: medians of 300 updates after 100 warm-up ones (performance.now).
//   npx turbo run build --filter=@dp/score-margin... && node packages/score-margin/bench/cost.mjs
const { getScore, loadScorePlugin } = await import('@dp/scores');
await loadScorePlugin(new URL('../dist/index.js', import.meta.url).href, { importer: (s) => import(s) });
const B = 128;
const N = 60_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const name of ['margin', 'el2n']) {
  const out = [];
  for (const k of [10, 100]) {
    const t = getScore(name).create(N);
    const logits = Float32Array.from({ length: B * k }, (_, i) => Math.sin(i * 12.9898) * 4);
    const labels = Int32Array.from({ length: B }, (_, i) => i % k);
    const times = [];
    for (let r = 0; r < 400; r++) {
      const ids = Uint32Array.from({ length: B }, (_, i) => (r * B + i * 7919) % N);
      const s = performance.now();
      t.update({ ids, logits, numClasses: k, labels });
      times.push(performance.now() - s);
    }
    out.push((1000 * median(times.slice(100))).toFixed(0));
  }
  console.log(`${name.padEnd(6)} ${out.join(' / ')} µs per batch of 128 at 10 / 100 classes`);
}
