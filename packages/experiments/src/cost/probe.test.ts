import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@dp/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type BackendInfo } from '../backend.js';
import { validateRunConfig } from '../config/config.js';
import { writeJsonAtomic } from '../fs.js';
import { readCostModel, type CostModel } from './cost-model.js';
import { probeCost, probeEpochSizes } from './probe.js';

describe('probeEpochSizes', () => {
  it('a warm-up epoch, then pairs of a small and a large epoch in ABBA order', () => {
    expect(probeEpochSizes(2, 16, 3)).toEqual([2, 2, 16, 16, 2, 2, 16]);
  });
});

/** The probe on a tiny real protocol: Fashion-MNIST (installed, never downloaded), cnn-small, seconds. */
describe('probeCost', () => {
  let backend: BackendInfo;
  let model: CostModel;
  const cfg = validateRunConfig({
    dataset: 'fashion-mnist',
    model: 'cnn-small',
    trainSubset: 1000,
    batchSize: 50,
    epochs: 4,
  });

  beforeAll(async () => {
    backend = await loadBackend();
  });

  it('measures positive constants on real data and times each method at the protocol N', async () => {
    const pair = await loadDataset('fashion-mnist', { download: false, env: {} });
    const lines: string[] = [];
    model = await probeCost(cfg, pair, {
      backend,
      smallBatches: 1,
      largeBatches: 4,
      pairs: 2,
      methods: [
        { policy: 'full', pruneRatio: 0 },
        { policy: 'random', pruneRatio: 0.5 },
        { policy: 'infobatch', pruneRatio: 0.5 },
      ],
      methodRepeats: 2,
      onProgress: (m) => lines.push(m),
    });
    expect(model.protocol).toEqual({
      dataset: 'fashion-mnist',
      model: 'cnn-small',
      batchSize: 50,
      augment: 'none',
      trainSubset: 1000,
      valSplit: 0,
      epochs: 4,
      datasetSize: 1000,
    });
    expect(model.design).toMatchObject({ smallSamples: 50, largeSamples: 200, pairs: 2 });
    expect(lines.filter((l) => l.startsWith('epoch '))).toHaveLength(5);
    const { sample, epoch, first } = model.constants;
    expect(sample.value).toBeGreaterThan(0);
    expect(sample.n).toBe(2);
    expect(sample.min).toBeLessThanOrEqual(sample.value);
    expect(sample.max).toBeGreaterThanOrEqual(sample.value);
    for (const c of [epoch, first]) expect(c.value).toBeGreaterThanOrEqual(0);
    expect(model.methods.map((m) => [m.policy, m.pruneRatio])).toEqual([
      ['full', 0],
      ['random', 0.5],
      ['infobatch', 0.5],
    ]);
    for (const m of model.methods) {
      expect(m.selectPerEpoch.value).toBeGreaterThan(0);
      expect(m.selectPerEpoch.n).toBe(2);
    }
    expect(['compiled', 'eager']).toContain(model.machine.trainStep);
    expect(model.machine.cpu).toBeTruthy();
  }, 300_000);

  it('writes a file that reads back as the same cost model', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dp-probe-')), 'cost.json');
    writeJsonAtomic(path, model);
    expect(readCostModel(path)).toEqual({ ...model, source: path });
  });
});
