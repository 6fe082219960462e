// The custom policy of the README ("Custom policies"), registered and run through the exported suite exactly as a
// user's test file would.
import { describe, expect, it } from 'vitest';
import { createPruner, getPolicy, type CustomPrunerConfig, type Policy } from '../index.js';
import { runPolicySuite } from '../testing.js';

/** Keep the samples with the highest last loss (unseen samples first, ties by id). */
const highLoss: Policy<Record<string, never>> = {
  name: 'high-loss',
  summary: 'keep the samples with the highest last loss',
  optionNames: [],
  parseOptions: () => ({}),
  create: (ctx) => {
    const last = new Float32Array(ctx.datasetSize).fill(Infinity); // unseen: first in line
    return {
      bytesPerSample: 4,
      choose: () => {
        const ids = Array.from({ length: ctx.datasetSize }, (_, i) => i).sort((a, b) =>
          last[a] === last[b] ? a - b : last[b]! > last[a]! ? 1 : -1,
        );
        return { indices: Uint32Array.from(ids.slice(0, ctx.keep)) };
      },
      observe: (ids, losses) => {
        for (let i = 0; i < ids.length; i++) last[ids[i]!] = losses[i]!;
      },
      state: () => Array.from(last, (v) => (v === Infinity ? null : v)),
      load: (state) => (state as (number | null)[]).forEach((v, i) => (last[i] = v ?? Infinity)),
    };
  },
};

runPolicySuite(highLoss, { describe, it, expect });

it('the suite registered the custom policy, so createPruner finds it by name', () => {
  expect(getPolicy('high-loss')).toBe(highLoss);
  const config: CustomPrunerConfig = { policy: 'high-loss', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1 };
  const p = createPruner(config);
  p.select(0);
  p.observe([0, 1, 2, 3, 4], [5, 1, 4, 2, 3]);
  expect([...p.select(1).indices].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9]); // the unseen ones (the Pruner shuffles the order)
});
