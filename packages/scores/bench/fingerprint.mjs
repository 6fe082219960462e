// Cost of fingerprinting a training set for score files, on CIFAR-10-sized data (50,000 x 32 x 32 x 3 bytes).
//   npx turbo run build --filter=@dp/scores && node packages/scores/bench/fingerprint.mjs [--pure]
// `dp score` pays it once per score file, and every static run once when it reads one. --pure hides node:crypto
// (process.getBuiltinModule) to time the pure-TypeScript SHA-256 that runtimes without it (browsers) use.
if (process.argv.includes('--pure')) delete process.getBuiltinModule;
const { datasetFingerprint, pixelFingerprint } = await import('../dist/index.js');

const N = 50_000;
const images = new Uint8Array(N * 32 * 32 * 3);
let a = 1;
for (let i = 0; i < images.length; i++) images[i] = (a = (Math.imul(a, 1103515245) + 12345) >>> 0) >>> 24;
const labels = Uint8Array.from({ length: N }, (_, i) => i % 10);

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1];
}
function time(fn, repeats) {
  fn();
  const ts = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

const how = process.getBuiltinModule ? 'node:crypto' : 'pure TypeScript';
console.log(
  `pixelFingerprint (${how}), ${(images.length / 1e6).toFixed(1)} MB: ${time(() => pixelFingerprint(images, N), process.getBuiltinModule ? 7 : 2).toFixed(0)} ms (median)`,
);
console.log(
  `datasetFingerprint, ${N} labels: ${time(() => datasetFingerprint(labels, N, 'cifar10'), 5).toFixed(1)} ms (median)`,
);
