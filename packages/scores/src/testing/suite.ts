import type * as FastCheck from 'fast-check';
import { loadFastCheck, type Fc } from './fast-check.js';
import type { TestApi } from '@dp/internal/test-api';
import { ScoreError } from '../errors.js';
import type { Score, ScoreBatch, ScoreInput, ScoreTracker } from '../types.js';
import { validateScore } from '../validate.js';

export type { TestApi } from '@dp/internal/test-api';

export interface SuiteOptions {
  /** Options passed to `score.create` (default {}). */
  createOptions?: Record<string, unknown>;
  /** Samples in the generated datasets (default 40). */
  datasetSize?: number;
  /** fast-check runs per property (default 60). */
  numRuns?: number;
  /** Whether permuting the rows of a batch (ids with their data) must leave values unchanged (default true). */
  rowOrderInvariant?: boolean;
  /** fast-check seed (default 20260101), so failures reproduce. */
  seed?: number;
}

/** fast-check, loaded by the first runScoreSuite call (see loadFastCheck). */
let fc: Fc;

interface Generated {
  numClasses: number;
  batches: ScoreBatch[];
}

/** One batch with every input `inputs` lists (logits always; labels when declared or derivable inputs are). */
function batchArb(datasetSize: number, k: number, inputs: readonly ScoreInput[]): FastCheck.Arbitrary<ScoreBatch> {
  const need = new Set(inputs);
  const withLabels = need.has('labels') || need.has('losses') || need.has('correct') || need.has('batchLoss');
  return fc
    .uniqueArray(fc.integer({ min: 0, max: datasetSize - 1 }), { minLength: 1, maxLength: Math.min(12, datasetSize) })
    .chain((ids) => {
      const n = ids.length;
      const f = (min: number, max: number, len: number) =>
        fc
          .array(fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true }), {
            minLength: len,
            maxLength: len,
          })
          .map((a) => Float32Array.from(a));
      return fc
        .record({
          ids: fc.constant(Uint32Array.from(ids)),
          numClasses: fc.constant(k),
          logits: f(-30, 30, n * k),
          labels: fc
            .array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n })
            .map((a) => Int32Array.from(a)),
          losses: need.has('losses') ? f(0, 50, n) : fc.constant(undefined),
          batchLoss: need.has('batchLoss') ? fc.float({ min: 0, max: 50, noNaN: true }) : fc.constant(undefined),
          correct: need.has('correct')
            ? fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((a) => Uint8Array.from(a))
            : fc.constant(undefined),
          gradNorms: need.has('gradNorms') ? f(0, 1e3, n) : fc.constant(undefined),
          featureSqNorms: need.has('featureSqNorms') ? f(0, 1e4, n) : fc.constant(undefined),
        })
        .map((b) => {
          // A score that declares neither labels nor an input derivable from them gets none: it must work without.
          const out: ScoreBatch = {
            ids: b.ids,
            numClasses: b.numClasses,
            logits: b.logits,
            ...(withLabels ? { labels: b.labels } : {}),
          };
          for (const key of ['losses', 'batchLoss', 'correct', 'gradNorms', 'featureSqNorms'] as const) {
            if (b[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = b[key];
          }
          return out;
        });
    });
}

function runArb(datasetSize: number, inputs: readonly ScoreInput[]): FastCheck.Arbitrary<Generated> {
  return fc
    .integer({ min: 2, max: 6 })
    .chain((k) =>
      fc
        .array(batchArb(datasetSize, k, inputs), { minLength: 1, maxLength: 8 })
        .map((batches) => ({ numClasses: k, batches })),
    );
}

/** The same batch with its rows permuted by `order` (a permutation of 0..n-1). */
function permuteRows(b: ScoreBatch, order: number[]): ScoreBatch {
  const n = b.ids.length;
  const k = b.numClasses ?? 0;
  const rows = <T extends Float32Array | Int32Array | Uint8Array | Uint32Array>(a: T, width: number): T => {
    const out = new (a.constructor as new (len: number) => T)(a.length);
    for (let i = 0; i < n; i++) out.set(a.subarray(order[i]! * width, order[i]! * width + width), i * width);
    return out;
  };
  const out: ScoreBatch = { ...b, ids: rows(b.ids as Uint32Array, 1) };
  if (b.logits) out.logits = rows(b.logits as Float32Array, k);
  for (const key of ['labels', 'losses', 'correct', 'gradNorms', 'featureSqNorms'] as const) {
    const a = b[key];
    if (a) (out as unknown as Record<string, unknown>)[key] = rows(a as Float32Array, 1);
  }
  return out;
}

const list = (a: ArrayLike<number>) => Array.from(a);

/** Ways to spoil a batch; every one must be refused with a ScoreError and change nothing. */
function spoilers(inputs: readonly ScoreInput[], datasetSize: number): [string, (b: ScoreBatch) => ScoreBatch][] {
  const need = new Set(inputs);
  const out: [string, (b: ScoreBatch) => ScoreBatch][] = [
    ['an id out of range', (b) => ({ ...b, ids: Uint32Array.from([...list(b.ids).slice(0, -1), datasetSize]) })],
    ['a non-integer id', (b) => ({ ...b, ids: Float64Array.from([...list(b.ids).slice(0, -1), 0.5]) })],
  ];
  const lastNaN = (a: ArrayLike<number>, v: number) => {
    const c = Float32Array.from(list(a));
    c[c.length - 1] = v;
    return c;
  };
  if (need.has('logits')) {
    out.push(['a NaN logit', (b) => ({ ...b, logits: lastNaN(b.logits!, NaN) })]);
    out.push(['an infinite logit', (b) => ({ ...b, logits: lastNaN(b.logits!, Infinity) })]);
    out.push(['logits of the wrong shape', (b) => ({ ...b, logits: Float32Array.from(list(b.logits!).slice(1)) })]);
    out.push(['missing logits', (b) => ({ ...b, logits: undefined })]);
  }
  if (need.has('labels')) {
    out.push([
      'a label out of range',
      (b) => ({ ...b, labels: Int32Array.from([...list(b.labels!).slice(0, -1), b.numClasses!]) }),
    ]);
    out.push(['a negative label', (b) => ({ ...b, labels: Int32Array.from([...list(b.labels!).slice(0, -1), -1]) })]);
  }
  if (need.has('losses')) {
    out.push(['a NaN loss', (b) => ({ ...b, losses: lastNaN(b.losses!, NaN) })]);
    out.push(['an infinite loss', (b) => ({ ...b, losses: lastNaN(b.losses!, -Infinity) })]);
    out.push(['too few losses', (b) => ({ ...b, losses: Float32Array.from(list(b.losses!).slice(1)) })]);
  }
  if (need.has('batchLoss')) out.push(['a NaN batch loss', (b) => ({ ...b, batchLoss: NaN })]);
  if (need.has('correct'))
    out.push([
      'a correct flag of 2',
      (b) => ({ ...b, correct: Uint8Array.from([...list(b.correct!).slice(0, -1), 2]) }),
    ]);
  for (const key of ['gradNorms', 'featureSqNorms'] as const) {
    if (need.has(key)) {
      out.push([`a NaN in ${key}`, (b) => ({ ...b, [key]: lastNaN(b[key]!, NaN) })]);
      out.push([`a negative ${key}`, (b) => ({ ...b, [key]: lastNaN(b[key]!, -1) })]);
      out.push([`missing ${key}`, (b) => ({ ...b, [key]: undefined })]);
    }
  }
  return out;
}

function isScoreError(e: unknown): boolean {
  return ScoreError.isInstance(e) && e.fix !== '';
}

/**
 * The shared behaviour every score must have, as fast-check properties: valid shape, finite values (one per
 * sample), update counts, determinism, exact JSON state round trip, invariance to the order of rows in a batch,
 * and bad input refused with a ScoreError that changes nothing. Call it from a test file:
 *
 *   import { describe, expect, it } from 'vitest';
 *   import { runScoreSuite } from '@dp/scores/testing';
 *   runScoreSuite(myScore, { describe, it, expect });
 */
export function runScoreSuite(score: Score, { describe, it, expect }: TestApi, options: SuiteOptions = {}): void {
  fc ??= loadFastCheck();
  const N = options.datasetSize ?? 40;
  const numRuns = options.numRuns ?? 60;
  const seed = options.seed ?? 20260101;
  const opts = options.createOptions ?? {};
  const create = (): ScoreTracker => score.create(N, opts);
  const params = { numRuns, seed };
  const feed = (t: ScoreTracker, batches: ScoreBatch[]) => {
    for (const b of batches) t.update(b);
    return t;
  };

  describe(`score '${score.name}' (shared suite)`, () => {
    it('implements the Score interface', () => {
      expect(validateScore(score)).toBe(score);
      const t = create();
      expect(t.score).toBe(score.name);
      expect(t.datasetSize).toBe(N);
      expect(t.bytesPerSample).toBeGreaterThan(0);
      expect(t.values().length).toBe(N);
      expect(list(t.counts())).toEqual(new Array(N).fill(0));
    });

    it('rejects a bad dataset size and unknown options', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
        let err: unknown;
        try {
          score.create(bad as number, opts);
        } catch (e) {
          err = e;
        }
        expect(isScoreError(err)).toBe(true);
      }
      let err: unknown;
      try {
        score.create(N, { ...opts, notAnOption: 1 });
      } catch (e) {
        err = e;
      }
      expect(isScoreError(err)).toBe(true);
    });

    it('gives one finite value per sample and counts every update', () => {
      fc.assert(
        fc.property(runArb(N, score.inputs), ({ batches }) => {
          const t = feed(create(), batches);
          const v = t.values();
          expect(v instanceof Float32Array).toBe(true);
          expect(v.length).toBe(N);
          expect(v.every((x) => Number.isFinite(x))).toBe(true);
          const expected = new Array(N).fill(0);
          for (const b of batches) for (const id of list(b.ids)) expected[id]++;
          expect(list(t.counts())).toEqual(expected);
        }),
        params,
      );
    });

    it('is deterministic', () => {
      fc.assert(
        fc.property(runArb(N, score.inputs), ({ batches }) => {
          const a = feed(create(), batches);
          const b = feed(create(), batches);
          expect(list(a.values())).toEqual(list(b.values()));
          expect(a.state()).toEqual(b.state());
        }),
        params,
      );
    });

    it('round-trips its state through JSON exactly', () => {
      fc.assert(
        fc.property(runArb(N, score.inputs), fc.nat(), ({ batches }, cut) => {
          const at = cut % (batches.length + 1);
          const a = feed(create(), batches.slice(0, at));
          const b = create();
          b.load(JSON.parse(JSON.stringify(a.state())));
          expect(b.state()).toEqual(a.state());
          expect(list(b.counts())).toEqual(list(a.counts()));
          feed(a, batches.slice(at));
          feed(b, batches.slice(at));
          expect(list(b.values())).toEqual(list(a.values()));
        }),
        params,
      );
    });

    if (options.rowOrderInvariant ?? true) {
      it('does not depend on the order of rows within a batch', () => {
        const arb = runArb(N, score.inputs).chain((g) =>
          fc.tuple(
            fc.constant(g),
            fc.tuple(
              ...g.batches.map((b) =>
                fc.shuffledSubarray(
                  list(b.ids).map((_, i) => i),
                  { minLength: b.ids.length },
                ),
              ),
            ),
          ),
        );
        fc.assert(
          fc.property(arb, ([{ batches }, orders]) => {
            const a = feed(create(), batches);
            const b = feed(
              create(),
              batches.map((x, i) => permuteRows(x, orders[i]!)),
            );
            expect(list(b.values())).toEqual(list(a.values()));
          }),
          params,
        );
      });
    }

    it('refuses bad input with one ScoreError and changes nothing', () => {
      const cases = spoilers(score.inputs, N);
      fc.assert(
        fc.property(runArb(N, score.inputs), fc.nat(), ({ batches }, pick) => {
          const t = feed(create(), batches.slice(0, -1));
          const before = JSON.stringify(t.state());
          const [, spoil] = cases[pick % cases.length]!;
          let err: unknown;
          try {
            t.update(spoil(batches[batches.length - 1]!));
          } catch (e) {
            err = e;
          }
          expect(isScoreError(err)).toBe(true);
          expect(JSON.stringify(t.state())).toBe(before);
        }),
        { ...params, numRuns: Math.max(numRuns, cases.length * 4) },
      );
    });

    it('refuses a foreign or damaged state and keeps its own', () => {
      fc.assert(
        fc.property(runArb(N, score.inputs), ({ batches }) => {
          const t = feed(create(), batches);
          const before = JSON.stringify(t.state());
          const other = score.create(N + 1, opts);
          const saved = t.state() as Record<string, unknown>;
          const damaged = [
            other.state(),
            null,
            'state',
            { ...saved, score: 'not-this-score' },
            { ...saved, version: 2 },
            { ...saved, arrays: {} },
          ];
          for (const s of damaged) {
            let err: unknown;
            try {
              t.load(s);
            } catch (e) {
              err = e;
            }
            expect(isScoreError(err)).toBe(true);
          }
          expect(JSON.stringify(t.state())).toBe(before);
        }),
        { ...params, numRuns: Math.min(numRuns, 20) },
      );
    });

    it('returns fresh arrays from values() and counts()', () => {
      const t = create();
      const v = t.values();
      v.fill(123);
      const c = t.counts();
      c.fill(7);
      expect(t.values()[0]).toBe(score.create(N, opts).values()[0]);
      expect(t.counts()[0]).toBe(0);
    });
  });
}
