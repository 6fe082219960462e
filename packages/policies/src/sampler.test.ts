import { describe, expect, it } from 'vitest';
import { createPruner, PrunerError, type PrunerConfig, type PrunerState } from './index.js';
import { createPrunerWithSampler, fakeLoss, trainEpoch } from './testing/helpers.js';

const config: PrunerConfig = { policy: 'random', datasetSize: 5000, pruneRatio: 0.6, totalEpochs: 6, seed: 4 };

/** A state as every checkpoint written before selection versions holds it: no `sampler` field. */
function oldState(c: PrunerConfig = config): PrunerState {
  const { sampler: _, ...state } = createPruner(c).state();
  return state;
}

describe('selection-algorithm version (sampler)', () => {
  it('a new pruner selects with version 3 and writes it into its state, which restores as version 3', () => {
    const p = createPruner(config);
    expect(p.sampler).toBe(3);
    trainEpoch(p, 0, (id, e) => fakeLoss(1, id, e));
    const state = JSON.parse(JSON.stringify(p.state()));
    expect(state.sampler).toBe(3);
    const q = createPruner(config, state);
    expect(q.sampler).toBe(3);
    expect(q.select(1)).toEqual(p.select(1));
  });

  it('a version-2 state (the release before) resumes with version 2 and keeps writing it', () => {
    const p = createPrunerWithSampler(config, 2);
    expect(p.sampler).toBe(2);
    trainEpoch(p, 0, (id, e) => fakeLoss(1, id, e));
    const state = JSON.parse(JSON.stringify(p.state()));
    expect(state.sampler).toBe(2);
    expect(createPruner(config, state).select(1)).toEqual(p.select(1));
  });

  it('version 3 orders large full-data epochs differently from version 2, small ones identically', () => {
    const big: PrunerConfig = { policy: 'full', datasetSize: 600_000, pruneRatio: 0, totalEpochs: 2, seed: 3 };
    const [v2, v3] = [createPrunerWithSampler(big, 2).select(1), createPrunerWithSampler(big, 3).select(1)];
    expect(v3.kept).toBe(v2.kept);
    expect(v3.indices.every((x, i) => x === v2.indices[i])).toBe(false);
    const [s2, s3] = [v2.indices.slice().sort(), v3.indices.slice().sort()];
    expect(s3.every((x, i) => x === s2[i])).toBe(true);
    const small: PrunerConfig = { ...config, policy: 'full' };
    expect(createPrunerWithSampler(small, 3).select(2)).toEqual(createPrunerWithSampler(small, 2).select(2));
  });

  it('a state without the field (written before versions) resumes with version 1 and keeps writing no field', () => {
    const saved = oldState();
    const p = createPruner(config, saved);
    expect(p.sampler).toBe(1);
    trainEpoch(p, 0, (id, e) => fakeLoss(1, id, e));
    const again = JSON.parse(JSON.stringify(p.state()));
    expect('sampler' in again).toBe(false);
    expect(createPruner(config, again).sampler).toBe(1);
    // An explicit `sampler: 1` is the same version.
    expect(createPruner(config, { ...saved, sampler: 1 }).select(0)).toEqual(createPruner(config, saved).select(0));
  });

  it('the versions choose different subsets of the same size for a random policy (the order shuffle is shared)', () => {
    // They differ in the epochs whose marking drew more than k samples (about half of them).
    const [a, b] = [createPrunerWithSampler(config, 1), createPrunerWithSampler(config, 2)];
    const sorted = (ids: Uint32Array) => [...ids].sort((x, y) => x - y).join();
    let differ = 0;
    for (let e = 0; e < config.totalEpochs; e++) {
      const [v1, v2] = [a.select(e), b.select(e)];
      expect(v2.kept).toBe(v1.kept);
      if (sorted(v1.indices) !== sorted(v2.indices)) differ++;
    }
    expect(differ).toBeGreaterThan(0);
    // Full-data epochs are a shuffle only: identical under both versions.
    const full: PrunerConfig = { ...config, policy: 'full' };
    expect(createPrunerWithSampler(full, 2).select(3)).toEqual(createPrunerWithSampler(full, 1).select(3));
  });

  it('an unknown version is one PrunerError naming state.sampler, the value and the versions allowed', () => {
    for (const value of [0, 4, 2.5, '2', null, true]) {
      let error: unknown;
      try {
        createPruner(config, { ...oldState(), sampler: value } as unknown as PrunerState);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PrunerError);
      const e = error as PrunerError;
      expect(e.field).toBe('state.sampler');
      expect(e.value).toBe(value);
      expect(e.allowed).toMatch(/one of 1, 2, 3 \(absent means 1/);
      expect(e.fix).toMatch(/newer @dp\/policies/);
    }
  });

  it('version 3 random selection: every sample is kept in a share of epochs within chi-square bounds of 1 - ratio', () => {
    // N = 60, k = 24, 3,000 epochs: each sample's count is Binomial(3000, 0.4), mean 1,200, sd 26.8. Seeded, so the
    // statistic is one fixed number; the bound is the 0.999 quantile (a uniform sampler fails it 1 seed in 1,000).
    const n = 60;
    const epochs = 3000;
    const p = createPruner({ policy: 'random', datasetSize: n, pruneRatio: 0.6, totalEpochs: epochs, seed: 11 });
    expect(p.sampler).toBe(3);
    const counts = new Float64Array(n);
    const firstSlot = new Float64Array(n);
    for (let e = 0; e < epochs; e++) {
      const sel = p.select(e);
      for (const id of sel.indices) counts[id]!++;
      firstSlot[sel.indices[0]!]!++;
    }
    const k = n - Math.floor(0.6 * n);
    const mean = (epochs * k) / n;
    const sd = Math.sqrt(epochs * (k / n) * (1 - k / n));
    let chi2 = 0;
    for (const c of counts) {
      expect(Math.abs(c - mean)).toBeLessThan(5 * sd);
      chi2 += (c - mean) ** 2 / mean;
    }
    // Binomial counts: the chi-square of counts over their mean has variance factor (1 - k/n) = 0.6; compare the
    // statistic scaled back to chi-square with n - 1 degrees of freedom (0.999 quantile at 59: 98.3).
    expect(chi2 / (1 - k / n)).toBeLessThan(98.3);
    // The epoch order is uniform too: the first slot holds every sample about epochs / n times.
    const firstMean = epochs / n;
    const firstChi2 = firstSlot.reduce((s, c) => s + (c - firstMean) ** 2 / firstMean, 0);
    expect(firstChi2).toBeLessThan(98.3);
  });
});
