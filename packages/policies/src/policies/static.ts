import { hashFloat32 } from '../codec.js';
import { checkInt, orDefault, PrunerError } from '../errors.js';
import { streamRng } from '../rng.js';
import { floatsToKeys, partitionTop } from '../top-k.js';
import type { Policy } from '../types.js';
import { checkNullState } from './state.js';

export interface StaticOptions {
  /** One score per sample (e.g. EL2N, GraNd, forgetting counts from @dp/scores), copied to float32. Required. */
  scores: Float32Array;
  /** Skip the `offset` highest scores: keep score ranks [offset, offset + k). Integer in [0, N - k]. Default 0. */
  offset: number;
}

/**
 * `static`: a fixed subset chosen once from a given score array (static pruning: Toneva et al. 2019 forgetting,
 * Paul et al. 2021 EL2N/GraNd; the offset window as in Paul et al.'s "offset" experiments and Sorscher et al.
 * 2022, which drop the very hardest samples). Samples are ranked by score, highest first (ties broken uniformly
 * at random by the seed); the subset is ranks [offset, offset + k), k = N - floor(pruneRatio * N). The same
 * subset is used every (non-full-data) epoch in a new order; weight 1; observed losses are ignored. The state
 * fingerprint holds a 64-bit hash of the score array (hashFloat32), never the array itself.
 * Memory: the float32 score copy 4 B + the subset 4 k/N B per sample.
 */
export const staticPolicy: Policy<StaticOptions> = {
  name: 'static',
  summary: 'a fixed subset: score ranks [offset, offset + k) of a given score array (EL2N, GraNd, forgetting, ...)',
  optionNames: ['scores', 'offset'],
  consumes: 'score-file',
  defaults: { offset: 0 },
  parseOptions(raw, ctx) {
    const n = ctx.datasetSize;
    const given = raw.scores;
    const allowed = `a Float32Array (or array of numbers) of ${n} finite scores, one per sample`;
    if (given === undefined) throw new PrunerError('scores', given, `${allowed} (required by the 'static' policy)`);
    if (!(Array.isArray(given) || (ArrayBuffer.isView(given) && !(given instanceof DataView))))
      throw new PrunerError('scores', given, allowed);
    const list = given as ArrayLike<unknown>;
    if (list.length !== n) throw new PrunerError('scores.length', list.length, `${n} (datasetSize)`);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = list[i];
      const f = typeof x === 'number' ? Math.fround(x) : Number.NaN;
      if (!Number.isFinite(f)) throw new PrunerError(`scores[${i}]`, x, 'a finite number (within float32 range)');
      scores[i] = f;
    }
    const offset = checkInt('offset', orDefault(raw.offset, 0), 0, n - ctx.keep);
    return { scores, offset };
  },
  describeOptions: ({ scores, offset }) => ({ scores: hashFloat32(scores), offset }),
  create(ctx, { scores, offset }) {
    const n = ctx.datasetSize;
    const k = ctx.keep;
    const rng = streamRng(ctx.seed, 0, 2);
    const keys = new Float32Array(scores);
    const bits = new Uint32Array(keys.buffer);
    floatsToKeys(bits);
    const order = new Uint32Array(n);
    partitionTop(bits, offset + k, rng, order);
    let subset: Uint32Array;
    if (offset === 0) {
      subset = order.slice(0, k);
    } else {
      // Among the top offset + k, drop the top `offset` (same keys, same tie-break stream).
      const m = offset + k;
      const sub = new Uint32Array(m);
      for (let i = 0; i < m; i++) sub[i] = bits[order[i]!]!;
      const inner = new Uint32Array(m);
      partitionTop(sub, offset, rng, inner);
      subset = new Uint32Array(k);
      for (let i = 0; i < k; i++) subset[i] = order[inner[offset + i]!]!;
    }
    return {
      bytesPerSample: 4 + (4 * k) / n,
      choose: () => ({ indices: subset }),
      observe: () => {},
      scores: () => scores.slice(),
      state: () => null,
      load: (state) => checkNullState('static', state),
    };
  },
};
