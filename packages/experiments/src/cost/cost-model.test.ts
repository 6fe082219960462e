import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import { ExperimentError } from '../errors.js';
import { summarize, summaryTable } from '../report/summarize.js';
import type { RunSummary } from '../run/summary.js';
import { checkCostModel, methodPrice, pricedRunCost, readCostModel, type CostModel } from './cost-model.js';

const m = (value: number) => ({ value, min: value, max: value, n: 1 });

/** A cost model for Fashion-MNIST / cnn-small, batch 128: 1 ms a sample, 0.5 s an epoch, 2 s once. */
function fmnistCostModel(over: Partial<CostModel['protocol']> = {}): CostModel {
  return {
    format: 'dp-cost-model',
    version: 1,
    protocol: {
      dataset: 'fashion-mnist',
      model: 'cnn-small',
      batchSize: 128,
      augment: 'none',
      trainSubset: 0,
      valSplit: 0,
      epochs: 4,
      datasetSize: 1000,
      ...over,
    },
    machine: {
      cpu: 'test cpu',
      cpuModel: 'test',
      onednn: 'off',
      cpus: 2,
      backend: 'tensorflow',
      trainStep: 'compiled',
    },
    measuredAt: '2026-12-07T08:00:00.000Z',
    probeSeconds: 1,
    design: { smallSamples: 128, largeSamples: 512, pairs: 1, methodRepeats: 1, note: '' },
    constants: { sample: m(0.001), epoch: m(0.5), first: m(2) },
    methods: [
      { policy: 'full', pruneRatio: 0, options: {}, selectPerEpoch: m(0), observePerSample: m(0) },
      { policy: 'random', pruneRatio: 0.5, options: {}, selectPerEpoch: m(0.01), observePerSample: m(1e-6) },
    ],
  };
}

/** A finished run of `samples[e]` samples in epoch e, measured at `seconds` (any machine speed). */
function run(config: Record<string, unknown>, samples: number[], seconds: number): RunSummary {
  return {
    key: JSON.stringify(config),
    runDir: `runs/${String(config.policy ?? 'full')}-${String(config.pruneRatio ?? 0)}`,
    config: { ...DEFAULTS, epochs: 4, ...config },
    finalAccuracy: 0.8,
    trainingSeconds: seconds,
    scoringSeconds: 0,
    evalSeconds: 0,
    samplesTrained: samples.reduce((a, b) => a + b, 0),
    trainedFraction: samples.reduce((a, b) => a + b, 0) / (1000 * samples.length),
    epochs: samples.map((s, epoch) => ({
      epoch,
      samples: s,
      trainLoss: 1,
      trainAccuracy: 0.5,
      trainingSeconds: seconds / samples.length,
      selectionHash: '0',
    })),
    selection: { histogram: [0, 0, 0, 0, 1], flippedShare: 0 },
  } as unknown as RunSummary;
}

describe('pricing runs with a cost model', () => {
  const model = fmnistCostModel();
  const full = run({}, [1000, 1000, 1000, 1000], 100);
  // Measured on a machine twice as slow: its measured speed-up says 1×, its priced one about 2×.
  const half = run({ policy: 'random', pruneRatio: 0.5 }, [500, 500, 500, 500], 100);
  const equalSteps = run({ epochs: 2, equalSteps: { epochs: 4, pruneRatio: 0.5 } }, [1000, 1000], 70);

  it("prices each run from the samples it trained, with its method's own costs", () => {
    expect(pricedRunCost(model, full, 'full', {})).toBeCloseTo(2 + 4 * 0.5 + 0.001 * 4000, 12);
    expect(pricedRunCost(model, half, 'random', {})).toBeCloseTo(2 + 4 * 0.51 + 0.001001 * 2000, 12);
    expect(pricedRunCost(model, equalSteps, 'equal-steps', {})).toBeCloseTo(2 + 2 * 0.5 + 0.001 * 2000, 12);
  });

  it('summarize: a speed-up at one machine speed beside the measured one, full data 1.00×', () => {
    const ms = summarize([full, half, equalSteps], { costModel: model });
    const by = (label: string) => ms.find((x) => x.label === label)!;
    expect(by('full data').pricedSpeedup).toBe(1);
    expect(by('random @ 0.5').speedup).toBeCloseTo(1);
    expect(by('random @ 0.5').pricedSpeedup).toBeCloseTo(8 / (2 + 2.04 + 2.002), 12);
    expect(by('equal steps @ 0.5').pricedSpeedup).toBeCloseTo(8 / 5, 12);
    expect(summaryTable(ms, { priced: true })).toMatch(/\| speed-up \| speed-up \(1 machine\) \|/);
    expect(summaryTable(ms, { priced: true })).toMatch(/\| random @ 0\.5 .*\| 1\.00× +\| 1\.32× +\|/);
    expect(summarize([full, half]).every((x) => x.pricedSpeedup === undefined)).toBe(true);
  });

  it('a method the probe did not time is priced without its own costs, with one warning naming it', () => {
    const ucb = run({ policy: 'ucb', pruneRatio: 0.5 }, [500, 500, 500, 500], 50);
    const warnings: string[] = [];
    const ms = summarize([full, ucb], { costModel: model, onWarning: (w) => warnings.push(w) });
    expect(ms.find((x) => x.policy === 'ucb')!.pricedSpeedup).toBeCloseTo(8 / 6, 12);
    expect(warnings).toEqual([
      expect.stringMatching(/no selection \/ scoring time for ucb: .*fix: dp probe-cost --policies ucb/),
    ]);
  });

  it('looks a method up by policy, ratio and options, then by policy and ratio, then by policy', () => {
    expect(methodPrice(model, 'random', 0.5)).toEqual({ selectPerEpoch: 0.01, observePerSample: 1e-6 });
    expect(methodPrice(model, 'random', 0.5, { x: 1 })).toEqual({ selectPerEpoch: 0.01, observePerSample: 1e-6 });
    expect(methodPrice(model, 'random', 0.7)).toEqual({ selectPerEpoch: 0.01, observePerSample: 1e-6 });
    expect(methodPrice(model, 'equal-steps', 0.7)).toEqual({ selectPerEpoch: 0, observePerSample: 0 });
    expect(methodPrice(model, 'ucb', 0.5)).toBeUndefined();
  });

  it('refuses runs of another protocol with one error naming both', () => {
    const cifar = {
      ...fmnistCostModel({ dataset: 'cifar10-jpeg', model: 'resnet20', augment: 'crop-flip' }),
      source: 'results/c.json',
    };
    const e = (() => {
      try {
        checkCostModel(cifar, [full]);
      } catch (err) {
        return err as ExperimentError;
      }
      throw new Error('not refused');
    })();
    expect(e).toBeInstanceOf(ExperimentError);
    expect(e.message).toBe(
      'the cost model results/c.json was probed for cifar10-jpeg / resnet20 (batch 128, augment crop-flip), but run runs/full-0 is fashion-mnist / cnn-small (batch 128, augment none): it cannot be priced with it; fix: probe that protocol (dp probe-cost --dataset fashion-mnist --model cnn-small --batch-size 128 --out FILE) and report its runs with that file',
    );
    expect(() => summarize([full], { costModel: fmnistCostModel({ batchSize: 64 }) })).toThrow(
      /probed for fashion-mnist \/ cnn-small \(batch 64, augment none\), but run .* is fashion-mnist \/ cnn-small \(batch 128, augment none\)/,
    );
  });
});

describe('readCostModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-cost-model-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads a cost model and remembers where from', () => {
    const p = file('ok.json', JSON.stringify(fmnistCostModel()));
    expect(readCostModel(p)).toEqual({ ...fmnistCostModel(), source: p });
  });

  it.each([
    ['missing.json', undefined, /cannot read the cost model .*missing\.json \(ENOENT\); fix: /],
    ['bad.json', '{', /the cost model .*bad\.json is not JSON; fix: /],
    [
      'results.json',
      '{"config":{}}',
      /is not a dp cost model: format is not "dp-cost-model"; fix: write it again with dp probe-cost/,
    ],
    [
      'negative.json',
      JSON.stringify({ ...fmnistCostModel(), constants: { ...fmnistCostModel().constants, sample: m(-1) } }),
      /is not a dp cost model: constants\.sample is not a measured value >= 0/,
    ],
  ])('refuses %s with a one-line problem and fix', (name, text, message) => {
    const p = text === undefined ? join(dir, name) : file(name, text);
    expect(() => readCostModel(p)).toThrow(ExperimentError);
    expect(() => readCostModel(p)).toThrow(message);
  });
});
