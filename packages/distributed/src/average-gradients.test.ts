import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GradientAverager, type Reducer } from './average-gradients.js';
import type { ReduceOp } from './collective.js';
import type { NamedArray } from './fused-buffer.js';

/**
 * k in-process workers whose collectives meet: each call waits for the k workers' n-th call, then all get the
 * element-wise mean (in float64, rounded to float32 as TensorFlow's float32 Add/Div of k values may differ by an ulp)
 * or the rank-order concatenation. Counts the collectives.
 */
function simulatedCluster(k: number): { reducers: Reducer[]; calls: { reduce: number; gather: number } } {
  const calls = { reduce: 0, gather: 0 };
  const rounds: Array<{ inputs: unknown[]; resolvers: Array<(v: unknown) => void> }> = [];
  const counters = new Array<number>(k).fill(0);
  const meet = (rank: number, input: unknown, combine: (inputs: unknown[]) => (r: number) => unknown) =>
    new Promise<unknown>((resolve) => {
      const n = counters[rank]!++;
      const round = (rounds[n] ??= { inputs: [], resolvers: [] });
      round.inputs[rank] = input;
      round.resolvers[rank] = resolve;
      if (round.resolvers.filter(Boolean).length === k) {
        const result = combine(round.inputs);
        round.resolvers.forEach((res, r) => res(result(r)));
      }
    });
  const reducers = Array.from({ length: k }, (_, rank) => ({
    rank,
    worldSize: k,
    allReduce: (data: Float32Array, op: ReduceOp = 'sum') => {
      if (rank === 0) calls.reduce++;
      return meet(rank, data, (inputs) => {
        const xs = inputs as Float32Array[];
        const out = xs[0]!.map((_, i) => xs.reduce((s, x) => s + x[i]!, 0) / (op === 'mean' ? k : 1));
        return () => out.slice();
      }) as Promise<Float32Array>;
    },
    allGather: (data: Int32Array) => {
      if (rank === 0) calls.gather++;
      return meet(
        rank,
        data,
        (inputs) => () => Int32Array.from((inputs as Int32Array[]).flatMap((x) => Array.from(x))),
      ) as Promise<Int32Array>;
    },
  }));
  return { reducers, calls };
}

const layoutArb = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 })
  .chain((names) => fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 20 })))));

describe('GradientAverager', () => {
  it('every worker gets each gradient’s mean over the workers, with one all-reduce per step (and one layout check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        layoutArb,
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        async (k, layout, steps, seed) => {
          const { reducers, calls } = simulatedCluster(k);
          const averagers = reducers.map((r) => new GradientAverager(r));
          for (let step = 0; step < steps; step++) {
            // worker w's gradient i, element j: small integers, so the mean is exact in float32 up to rounding of /k
            const grads = (w: number): NamedArray[] =>
              layout.map(([name, n], i) => ({
                name,
                values: Float32Array.from({ length: n }, (_, j) => ((seed + w * 7 + i * 3 + j + step) % 11) - 5),
              }));
            const results = await Promise.all(averagers.map((a, w) => a.average(grads(w))));
            for (const res of results) {
              expect(res.map((g) => g.name)).toEqual(layout.map(([name]) => name));
              res.forEach((g, i) => {
                const expected = Array.from({ length: layout[i]![1] }, (_, j) =>
                  Math.fround(
                    Array.from({ length: k }, (__, w) => grads(w)[i]!.values[j]!).reduce((a, b) => a + b, 0) / k,
                  ),
                );
                expect(Array.from(g.values)).toEqual(expected);
              });
            }
          }
          expect(calls).toEqual({ reduce: steps, gather: 1 });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a worker with another layout makes every worker fail, naming it', async () => {
    const { reducers } = simulatedCluster(3);
    const grads = (n: number): NamedArray[] => [{ name: 'w', values: new Float32Array(n) }];
    const outcomes = await Promise.allSettled(
      reducers.map((r, w) => new GradientAverager(r).average(grads(w === 2 ? 5 : 4))),
    );
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect(String((o as PromiseRejectedResult).reason.message)).toMatch(
        /^worker 2 packs different gradients \(5 floats.*than worker 0 \(4 floats.*; fix: build the same model/,
      );
    }
  });
});
