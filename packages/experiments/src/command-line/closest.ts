/**
 * The candidate within edit distance 2 of `word` (the nearest; none if two are equally near): a command line's
 * "did you mean".
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const dist = (a: string, b: string) => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++)
        cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  const scored = candidates
    .map((c) => ({ c, d: dist(word.toLowerCase(), c) }))
    .filter((x) => x.d <= 2)
    .sort((x, y) => x.d - y.d);
  return scored.length && (scored.length === 1 || scored[0]!.d < scored[1]!.d) ? scored[0]!.c : undefined;
}
