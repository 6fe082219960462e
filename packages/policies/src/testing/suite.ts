// The property suite every policy must pass (selection validity, determinism, JSON state round-trip, sharding, atomic
// observe), runnable on a custom policy from its own test file: runPolicySuite(policy, { describe, it, expect }).
import type * as FastCheck from 'fast-check';
import type { TestApi } from '@dp/internal/test-api';
import { DpError } from '@dp/internal/error';
import { createPruner as createNewPruner } from '../create.js';
import type { Pruner } from '../pruner.js';
import { PrunerError } from '../errors.js';
import { keepCount } from '../count.js';
import type { PrunerConfig } from '../config.js';
import { registerPolicy } from '../registry.js';
import type { Policy } from '../types.js';
import type { SamplerVersion } from '../sampler.js';
import { createPrunerWithSampler, fakeLoss, trainEpoch } from './helpers.js';

type Fc = typeof FastCheck;

export type { TestApi } from '@dp/internal/test-api';

export interface PolicySuiteOptions {
  /**
   * The policy's own options for a run on `datasetSize` samples keeping `keep`, as a fast-check arbitrary (default:
   * none). `fc` is the suite's fast-check, so a test file need not import it.
   */
  options?: (fc: Fc, datasetSize: number, keep: number, salt: number) => FastCheck.Arbitrary<Record<string, unknown>>;
  /** Whether a pruned epoch may keep another number of samples than keepCount(pruneRatio, datasetSize) (default false). */
  variableSize?: boolean;
  /**
   * The selection-algorithm version the pruners under test select with (default: the latest, as a new pruner). Run the
   * suite once per version to check that a run resuming an old checkpoint keeps every property.
   */
  sampler?: SamplerVersion;
  /** fast-check runs per property (default 40). */
  numRuns?: number;
  /** fast-check seed (default 20261206), so failures reproduce. */
  seed?: number;
}

/** fast-check, an optional peer dependency of @dp/policies: loaded when the suite runs, with a clear error if absent. */
async function loadFastCheck(): Promise<Fc> {
  try {
    const mod = (await import('fast-check')) as Fc & { default?: Fc };
    return mod.default ?? mod;
  } catch (e) {
    throw new DpError(
      '@dp/policies/testing needs fast-check, an optional peer dependency, and it could not be loaded',
      'npm install --save-dev fast-check',
      { cause: e },
    );
  }
}

interface Case {
  config: PrunerConfig;
  salt: number;
  keep: number;
}

/** Run configs of `policy`: every schedule option and the policy's own options, on small datasets. */
function configs(
  fc: Fc,
  policy: string,
  options: NonNullable<PolicySuiteOptions['options']>,
): FastCheck.Arbitrary<Case> {
  return fc
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
      return options(fc, c.datasetSize, keep, c.salt).map((extra) => ({
        config: {
          policy,
          datasetSize: c.datasetSize,
          pruneRatio: c.pruneRatio,
          totalEpochs: c.totalEpochs,
          seed: c.seed,
          interval: c.interval,
          warmupEpochs,
          annealEpochs,
          ...extra,
        } as PrunerConfig,
        salt: c.salt,
        keep,
      }));
    });
}

/**
 * Define the property suite for `policy` (registered here if it is a Policy object not registered yet) with the test
 * framework's describe/it/expect. Each property runs `numRuns` random configs through createPruner.
 */
export function runPolicySuite(
  policy: Policy<any> | string,
  { describe, it, expect }: TestApi,
  suite: PolicySuiteOptions = {},
): void {
  const name = typeof policy === 'string' ? policy : policy.name;
  if (typeof policy !== 'string') registerPolicy(policy);
  const options = suite.options ?? ((fc: Fc) => fc.constant({}));
  const params = { numRuns: suite.numRuns ?? 40, seed: suite.seed ?? 20261206 };
  const property = (title: string, body: (fc: Fc) => FastCheck.IPropertyWithHooks<any> | FastCheck.IProperty<any>) =>
    it(title, async () => {
      const fc = await loadFastCheck();
      fc.assert(body(fc), params);
    });

  const sampler = suite.sampler;
  const createPruner = (config: PrunerConfig): Pruner =>
    sampler === undefined ? createNewPruner(config) : createPrunerWithSampler(config, sampler);

  describe(`policy ${name}${sampler === undefined ? '' : `, sampler ${sampler}`}`, () => {
    property('selects distinct in-range ids with finite positive weights, of the defined size', (fc) =>
      fc.property(configs(fc, name, options), ({ config, salt, keep }) => {
        const p = createPruner(config);
        const n = config.datasetSize;
        for (let e = 0; e < config.totalEpochs; e++) {
          const sel = trainEpoch(p, e, (id, ep) => fakeLoss(salt, id, ep));
          expect(sel.indices.length).toBe(sel.kept);
          expect(sel.weights.length).toBe(sel.kept);
          expect(new Set(sel.indices).size).toBe(sel.kept);
          expect(sel.indices.every((id) => id < n)).toBe(true);
          expect(sel.weights.every((w) => Number.isFinite(w) && w > 0)).toBe(true);
          if (p.isFullDataEpoch(e)) {
            expect(sel.kept).toBe(n);
            expect(sel.weights.every((w) => w === 1)).toBe(true);
          } else if (suite.variableSize) {
            expect(sel.kept >= 1).toBe(true);
          } else {
            expect(sel.kept).toBe(keep);
          }
        }
      }),
    );

    property('is deterministic by seed and observations', (fc) =>
      fc.property(configs(fc, name, options), ({ config, salt }) => {
        const a = createPruner(config);
        const b = createPruner(config);
        for (let e = 0; e < config.totalEpochs; e++) {
          expect(trainEpoch(a, e, (id, ep) => fakeLoss(salt, id, ep))).toEqual(
            trainEpoch(b, e, (id, ep) => fakeLoss(salt, id, ep)),
          );
        }
        expect(a.state()).toEqual(b.state());
      }),
    );

    property('a state restored mid-run through JSON gives identical future selections', (fc) =>
      fc.property(configs(fc, name, options), fc.nat(), ({ config, salt }, cut) => {
        const loss = (id: number, ep: number) => fakeLoss(salt, id, ep);
        const a = createPruner(config);
        const m = cut % (config.totalEpochs + 1);
        for (let e = 0; e < m; e++) trainEpoch(a, e, loss);
        const b = createNewPruner(config, JSON.parse(JSON.stringify(a.state())));
        expect(b.sampler).toBe(a.sampler);
        expect(b.observedCount).toBe(a.observedCount);
        for (let e = m; e < config.totalEpochs; e++) expect(trainEpoch(b, e, loss)).toEqual(trainEpoch(a, e, loss));
        expect(JSON.stringify(b.state())).toBe(JSON.stringify(a.state()));
      }),
    );

    property(
      'shards: equal lengths; padding repeats exactly the first entries, dropLast drops exactly the last',
      (fc) =>
        fc.property(
          configs(fc, name, options),
          fc.integer({ min: 1, max: 6 }),
          fc.boolean(),
          ({ config, salt }, worldSize, dropLast) => {
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
              expect(count.size).toBe(dropLast ? n - (n % worldSize) : n);
              // Weights travel with their ids.
              const weightOf = new Map([...whole.indices].map((id, j) => [id, whole.weights[j]!]));
              for (const s of shards) expect([...s.weights]).toEqual([...s.indices].map((id) => weightOf.get(id)));
              trainEpoch(p, e, (id, ep) => fakeLoss(salt, id, ep));
            }
          },
        ),
    );

    property('a rejected observe() leaves the state unchanged', (fc) =>
      fc.property(configs(fc, name, options), fc.integer({ min: 0, max: 2 }), ({ config, salt }, kind) => {
        const p = createPruner(config);
        trainEpoch(p, 0, (id, ep) => fakeLoss(salt, id, ep));
        const before = JSON.stringify(p.state());
        const n = config.datasetSize;
        // Valid entries first, so a non-atomic update would have changed something before the bad entry.
        expect(() => p.observe([0, n - 1, [n, 1.5, -1][kind]!], [1, 2, 3])).toThrow(PrunerError);
        expect(() => p.observe([0, n - 1, 0], [1, 2, Number.NaN])).toThrow(PrunerError);
        expect(JSON.stringify(p.state())).toBe(before);
      }),
    );
  });
}
