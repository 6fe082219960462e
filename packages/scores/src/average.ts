import { ScoreError, invalid } from './errors.js';

/**
 * Element-wise mean of the score vectors of R runs (accumulated in float64). All runs must have the same
 * length and finite values.
 */
export function averageScores(runs: readonly Float32Array[]): Float32Array {
  if (!Array.isArray(runs) || runs.length === 0)
    throw invalid('runs', runs, 'a non-empty array of Float32Array score vectors');
  const n = runs[0]!.length;
  const acc = new Float64Array(n);
  runs.forEach((r, k) => {
    if (!(r instanceof Float32Array)) throw invalid(`runs[${k}]`, r, 'a Float32Array');
    if (r.length !== n) {
      throw new ScoreError(
        `runs[${k}] has ${r.length} scores but runs[0] has ${n}`,
        'average runs over the same dataset only',
        `runs[${k}]`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = r[i]!;
      if (!Number.isFinite(v))
        throw new ScoreError(`runs[${k}][${i}] = ${v} is not finite`, 'discard the diverged run', `runs[${k}]`);
      acc[i]! += v;
    }
  });
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = acc[i]! / runs.length;
  return out;
}
