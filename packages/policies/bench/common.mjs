// Shared by the selection benchmarks (policies.bench.mjs, ab.bench.mjs): their inputs, and the reference top-k that is
// the yardstick of issue 22's bar.

/**
 * The benchmark's inputs for N samples from an Rng seeded 12345 (`Rng` of the build under test): exponential-ish
 * losses, uniform static scores, and a shuffled id order for observe().
 */
export function benchData(Rng, N) {
  const rng = new Rng(12345);
  const losses = new Float32Array(N);
  for (let i = 0; i < N; i++) losses[i] = -Math.log(1 - rng.nextFloat() * 0.999); // exponential-ish losses
  const staticScores = new Float32Array(N);
  for (let i = 0; i < N; i++) staticScores[i] = rng.nextFloat();
  const ids = new Uint32Array(N);
  for (let i = 0; i < N; i++) ids[i] = i;
  rng.shuffle(ids);
  return { losses, staticScores, ids };
}

// Floyd-Rivest selection (Floyd & Rivest 1975, "Algorithm 489"; the form of the `quickselect` npm package) on a
// Float32Array, ascending: afterwards a[k] is the k-th smallest, a[left, k) <= a[k] <= a(k, right].
export function floydRivest(a, k, left, right) {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      floydRivest(
        a,
        k,
        Math.max(left, Math.floor(k - (m * s) / n + sd)),
        Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)),
      );
    }
    const t = a[k];
    let i = left;
    let j = right;
    let x = a[left];
    a[left] = a[k];
    a[k] = x;
    if (a[right] > t) {
      x = a[left];
      a[left] = a[right];
      a[right] = x;
    }
    while (i < j) {
      x = a[i];
      a[i] = a[j];
      a[j] = x;
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) {
      x = a[left];
      a[left] = a[j];
      a[j] = x;
    } else {
      j++;
      x = a[j];
      a[j] = a[right];
      a[right] = x;
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}
