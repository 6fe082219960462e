// One property-based suite run over EVERY registered policy: a new policy must add its options generator below.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPruner, keepCount, policyNames, PrunerError, type PrunerConfig } from './index.js';
import { fakeLoss, trainEpoch } from './testing.js';

type Extra = (n: number, keep: number, salt: number) => fc.Arbitrary<Record<string, unknown>>;
const OPTIONS: Record<string, Extra> = {
  full: () => fc.constant({}),
  random: () => fc.constant({}),
  // ramp's slope must leave the last epoch within the data: a in [0, min(1, (1 - f)/f)], f = keep/n.
  ramp: (n, keep) => fc.double({ min: 0, max: Math.min(1, (n - keep) / keep), noNaN: true }).map((ramp) => ({ ramp })),
  'epsilon-greedy': () =>
    fc
      .record({ epsilon: fc.double({ min: 0, max: 1, noNaN: true }), decay: fc.double({ min: 0, max: 0.99, noNaN: true }), epsilonSchedule: fc.constantFrom('constant', 'linear', 'exponential'), share: fc.double({ min: 0.01, max: 1, noNaN: true }) })
      // epsilonFinal only with a decaying schedule, in (0, epsilon] (a subnormal epsilon * share can round to 0).
      .map(({ share, ...o }) => (o.epsilonSchedule === 'constant' ? o : { ...o, epsilonFinal: o.epsilon * share || o.epsilon })),
  ucb: () => fc.record({ c: fc.double({ min: 0, max: 5, noNaN: true }), decay: fc.double({ min: 0, max: 0.99, noNaN: true }), bonus: fc.constantFrom('std', 'count') }),
  importance: () => fc.record({ c: fc.double({ min: 0, max: 5, noNaN: true }), decay: fc.double({ min: 0, max: 0.99, noNaN: true }), mix: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  infobatch: () => fc.record({ delta: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
  repb: () => fc.record({ window: fc.integer({ min: 1, max: 4 }), maxWeight: fc.double({ min: 1, max: 20, noNaN: true }) }),
  orderdp: (n, keep) => fc.record({ poolRatio: fc.option(fc.double({ min: keep / n, max: 1, noNaN: true }), { nil: undefined }), initialScore: fc.double({ min: -5, max: 5, noNaN: true }) }),
  seta: () => fc.integer({ min: 1, max: 12 }).chain((groups) => fc.record({ groups: fc.constant(groups), windowScale: fc.double({ min: 0.6 / groups, max: 1, noNaN: true }), delta: fc.double({ min: 0.05, max: 1, noNaN: true }), initialScore: fc.double({ min: -5, max: 5, noNaN: true }) })),
  static: (n, keep, salt) =>
    fc.record({
      // Few distinct values, so ties are common.
      scores: fc.constant(Float32Array.from({ length: n }, (_, i) => Math.floor(fakeLoss(salt, i, -1) * 2))),
      offset: fc.integer({ min: 0, max: n - keep }),
    }),
};

const configFor = (policy: string) =>
  fc
    .record({
      datasetSize: fc.integer({ min: 1, max: 120 }),
      pruneRatio: fc.double({ min: 0, max: 0.95, noNaN: true }),
      totalEpochs: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer({ min: -1e9, max: 1e9 }),
      interval: fc.integer({ min: 1, max: 3 }),
      warm: fc.integer({ min: 0, max: 2 }),
      anneal: fc.integer({ min: 0, max: 2 }),
      salt: fc.integer(),
    })
    .chain((c) => {
      const warmupEpochs = Math.min(c.warm, c.totalEpochs);
      const annealEpochs = Math.min(c.anneal, c.totalEpochs);
      const keep = keepCount(c.pruneRatio, c.datasetSize);
      return OPTIONS[policy]!(c.datasetSize, keep, c.salt).map((extra) => ({
        config: { policy, datasetSize: c.datasetSize, pruneRatio: c.pruneRatio, totalEpochs: c.totalEpochs, seed: c.seed, interval: c.interval, warmupEpochs, annealEpochs, ...extra } as PrunerConfig,
        salt: c.salt,
        keep,
      }));
    });

const RUNS = { numRuns: 40 };

it('the suite covers every registered policy', () => {
  expect(Object.keys(OPTIONS).sort()).toEqual(policyNames().sort());
});

describe.each(policyNames())('policy %s', (policy) => {
  it('selects distinct in-range ids with finite positive weights, of the defined size', () => {
    fc.assert(
      fc.property(configFor(policy), ({ config, salt, keep }) => {
        const p = createPruner(config);
        const n = config.datasetSize;
        for (let e = 0; e < config.totalEpochs; e++) {
          const sel = trainEpoch(p, e, (id, ep) => fakeLoss(salt, id, ep));
          expect(sel.indices.length).toBe(sel.kept);
          expect(sel.weights.length).toBe(sel.kept);
          expect(new Set(sel.indices).size).toBe(sel.kept);
          for (const id of sel.indices) expect(id).toBeLessThan(n);
          for (const w of sel.weights) expect(Number.isFinite(w) && w > 0).toBe(true);
          if (p.isFullDataEpoch(e)) {
            expect(sel.kept).toBe(n);
            expect(sel.weights.every((w) => w === 1)).toBe(true);
          } else if (policy === 'infobatch' || policy === 'seta' || policy === 'ramp') {
            expect(sel.kept).toBeGreaterThanOrEqual(1);
          } else {
            expect(sel.kept).toBe(keep);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic by seed and observations', () => {
    fc.assert(
      fc.property(configFor(policy), ({ config, salt }) => {
        const a = createPruner(config);
        const b = createPruner(config);
        for (let e = 0; e < config.totalEpochs; e++) {
          expect(trainEpoch(a, e, (id, ep) => fakeLoss(salt, id, ep))).toEqual(trainEpoch(b, e, (id, ep) => fakeLoss(salt, id, ep)));
        }
        expect(a.state()).toEqual(b.state());
      }),
      RUNS,
    );
  });

  it('a state restored mid-run through JSON gives identical future selections', () => {
    fc.assert(
      fc.property(configFor(policy), fc.nat(), ({ config, salt }, cut) => {
        const loss = (id: number, ep: number) => fakeLoss(salt, id, ep);
        const a = createPruner(config);
        const m = cut % (config.totalEpochs + 1);
        for (let e = 0; e < m; e++) trainEpoch(a, e, loss);
        const b = createPruner(config, JSON.parse(JSON.stringify(a.state())));
        expect(b.observedCount).toBe(a.observedCount);
        for (let e = m; e < config.totalEpochs; e++) expect(trainEpoch(b, e, loss)).toEqual(trainEpoch(a, e, loss));
        expect(JSON.stringify(b.state())).toBe(JSON.stringify(a.state()));
      }),
      RUNS,
    );
  });

  it('shards: equal lengths; padding repeats exactly the first entries, dropLast drops exactly the last', () => {
    fc.assert(
      fc.property(configFor(policy), fc.integer({ min: 1, max: 6 }), fc.boolean(), ({ config, salt }, worldSize, dropLast) => {
        const p = createPruner(config);
        for (let e = 0; e < config.totalEpochs; e++) {
          const whole = p.select(e);
          const n = whole.kept;
          const shards = Array.from({ length: worldSize }, (_, rank) => p.select(e, { rank, worldSize, dropLast }));
          const per = dropLast ? Math.floor(n / worldSize) : Math.ceil(n / worldSize);
          const count = new Map<number, number>();
          for (const s of shards) {
            expect(s.indices.length).toBe(per);
            expect(s.kept).toBe(n);
            for (const id of s.indices) count.set(id, (count.get(id) ?? 0) + 1);
          }
          // Expected multiplicity of each id: entry j of the epoch list is used floor/ceil times by the rule.
          const expected = new Map<number, number>();
          for (let j = 0; j < per * worldSize; j++) {
            const id = whole.indices[j % n]!;
            expected.set(id, (expected.get(id) ?? 0) + 1);
          }
          expect(count).toEqual(expected);
          if (dropLast) {
            expect([...count.values()].every((c) => c === 1)).toBe(true);
            expect(count.size).toBe(n - (n % worldSize));
          } else {
            expect(count.size).toBe(n);
          }
          // Weights travel with their ids.
          const weightOf = new Map([...whole.indices].map((id, j) => [id, whole.weights[j]!]));
          for (const s of shards) s.indices.forEach((id, j) => expect(s.weights[j]).toBe(weightOf.get(id)));
          trainEpoch(p, e, (id, ep) => fakeLoss(salt, id, ep));
        }
      }),
      RUNS,
    );
  });

  it('a rejected observe() leaves the state unchanged', () => {
    fc.assert(
      fc.property(configFor(policy), fc.integer({ min: 0, max: 2 }), ({ config, salt }, kind) => {
        const p = createPruner(config);
        trainEpoch(p, 0, (id, ep) => fakeLoss(salt, id, ep));
        const before = JSON.stringify(p.state());
        const n = config.datasetSize;
        // Valid entries first, so a non-atomic update would have changed something before the bad entry.
        const ids = [0, n - 1, [n, 1.5, -1][kind]!];
        const losses = [1, 2, 3];
        const badLosses = [1, 2, Number.NaN];
        expect(() => p.observe(ids, losses)).toThrow(PrunerError);
        expect(() => p.observe([0, n - 1, 0], badLosses)).toThrow(PrunerError);
        expect(JSON.stringify(p.state())).toBe(before);
      }),
      RUNS,
    );
  });
});
