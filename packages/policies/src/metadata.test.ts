import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getPolicy, policyNames } from './registry.js';
import { keepCount } from './count.js';
import { COMMON_OPTION_DEFAULTS } from './common-options.js';
import { createPruner } from './create.js';

describe('policy metadata', () => {
  it('declares the defaults parseOptions fills in (at any run size, seed and epochs, prune ratio 0.5)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 100000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (datasetSize, totalEpochs, seed) => {
          for (const name of policyNames()) {
            const p = getPolicy(name);
            if (p.consumes === 'score-file') continue; // needs its scores; checked below
            const ctx = { datasetSize, pruneRatio: 0.5, totalEpochs, seed, keep: keepCount(0.5, datasetSize) };
            expect(p.parseOptions({}, ctx), name).toEqual(p.defaults);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('gives the score-file policy its offset default', () => {
    const p = getPolicy(policyNames().find((n) => getPolicy(n).consumes === 'score-file')!);
    const parsed = p.parseOptions(
      { scores: new Float32Array(10) },
      { datasetSize: 10, pruneRatio: 0.5, totalEpochs: 3, seed: 0, keep: 5 },
    ) as Record<string, unknown>;
    expect({ offset: parsed.offset }).toEqual(p.defaults);
  });

  it('has exactly one full-data baseline and one uniform reference, and every built-in declares what it consumes', () => {
    const all = policyNames().map(getPolicy);
    expect(all.filter((p) => p.baseline)).toHaveLength(1);
    expect(all.filter((p) => p.reference)).toHaveLength(1);
    for (const p of all) expect(['losses', 'score-file', 'nothing'], p.name).toContain(p.consumes);
  });

  it('recommends exactly one built-in, a pruning policy (neither the baseline nor the uniform reference), saying why', () => {
    const recommended = policyNames()
      .map(getPolicy)
      .filter((p) => p.recommended !== undefined);
    expect(recommended).toHaveLength(1);
    const [p] = recommended;
    expect(p!.baseline || p!.reference).toBeFalsy();
    expect(p!.recommended).toMatch(/\S{3}/);
    expect(p!.recommended).not.toMatch(/\n/);
  });

  it('the baseline trains every sample in every epoch', () => {
    const name = policyNames().find((n) => getPolicy(n).baseline)!;
    const pruner = createPruner({ policy: name, datasetSize: 50, pruneRatio: 0, totalEpochs: 3, seed: 1 });
    for (let e = 0; e < 3; e++) expect(pruner.select(e).kept).toBe(50);
  });

  it('the common option defaults are the pruner defaults', () => {
    const pruner = createPruner({ policy: 'random', datasetSize: 50, pruneRatio: 0.5, totalEpochs: 3, seed: 1 });
    expect({
      interval: pruner.config.interval,
      warmupEpochs: pruner.config.warmupEpochs,
      annealEpochs: pruner.config.annealEpochs,
    }).toEqual(COMMON_OPTION_DEFAULTS);
  });
});
