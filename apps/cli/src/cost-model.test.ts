import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'apps', 'cli', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const dp = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
const m = (value: number) => ({ value, min: value, max: value, n: 3 });

/** A cost model as dp probe-cost writes it, for `protocol`: 20 µs a sample, 0.2 s an epoch, 3 s once. */
function costModel(protocol: Record<string, unknown>) {
  return {
    format: 'dp-cost-model',
    version: 1,
    protocol: {
      batchSize: 128,
      augment: 'none',
      trainSubset: 0,
      valSplit: 5000,
      epochs: 20,
      datasetSize: 55000,
      ...protocol,
    },
    machine: {
      cpu: 'AMD EPYC · 2 cores',
      cpuModel: 'AMD EPYC',
      onednn: 'on (env)',
      cpus: 2,
      backend: 'tensorflow',
      trainStep: 'compiled',
    },
    measuredAt: '2026-12-07T08:00:00.000Z',
    probeSeconds: 120,
    design: { smallSamples: 256, largeSamples: 2048, pairs: 6, methodRepeats: 3, note: '' },
    constants: { sample: m(20e-6), epoch: m(0.2), first: m(3) },
    methods: [
      { policy: 'full', pruneRatio: 0, options: {}, selectPerEpoch: m(5e-4), observePerSample: m(1e-8) },
      { policy: 'random', pruneRatio: 0.5, options: {}, selectPerEpoch: m(3e-4), observePerSample: m(1e-8) },
    ],
  };
}

/**
 * dp report --cost-model end to end on a small results file: seed 0 of full data, equal steps @ 0.5 and uniform
 * random @ 0.5 from the committed Fashion-MNIST screening sweep (real runs, their recorded per-epoch samples).
 */
describe('dp report --cost-model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-cost-report-'));
  const lines = readFileSync(join(root, 'results', 'screening-fmnist.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => {
      const c = (
        JSON.parse(l) as {
          config: { seed: number; policy: string; pruneRatio: number; equalSteps?: { pruneRatio: number } | null };
        }
      ).config;
      return (
        c.seed === 0 &&
        (c.policy === 'full'
          ? (c.equalSteps?.pruneRatio ?? 0.5) === 0.5
          : c.policy === 'random' && c.pruneRatio === 0.5)
      );
    });
  const results = join(dir, 'small.jsonl');
  writeFileSync(results, `${lines.join('\n')}\n`);
  const write = (name: string, value: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };

  it('adds the speed-up at one machine speed beside the measured one, and says what it is', () => {
    expect(lines).toHaveLength(3);
    const model = write('fmnist-cost.json', costModel({ dataset: 'fashion-mnist', model: 'cnn-small' }));
    const r = dp('report', results, '--out', join(dir, 'report'), '--cost-model', model);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| training cost \| speed-up \| speed-up \(1 machine\) \| acc change \|/);
    // Full data: 3 + 20 × (0.2 + 0.0005) + 20 × 55,000 × (20 + 0.01) µs = 29.02 s; equal steps @ 0.5, its 10 epochs:
    // 16.01 s (1.81×); random @ 0.5, 20 × 27,500 samples: 3 + 20 × 0.2003 + 550,000 × 20.01 µs = 18.01 s (1.61×).
    expect(r.stdout).toMatch(/\| full data +\|.*\| 1\.00× +\| 1\.00× +\|/);
    expect(r.stdout).toMatch(/\| equal steps @ 0\.5 +\|.*\| 1\.81× +\|/);
    expect(r.stdout).toMatch(/\| random @ 0\.5 +\|.*\| 1\.95× +\| 1\.61× +\|/);
    const md = readFileSync(join(dir, 'report', 'report.md'), 'utf8');
    expect(md).toContain('speed-up (1 machine) = full-data cost / method cost, both priced at one machine speed');
    expect(md).toContain(`(${model}: AMD EPYC · 2 cores, compiled step, 2026-12-07): 20.0 µs per trained sample`);
    expect(readFileSync(join(dir, 'report', 'report.html'), 'utf8')).toContain('speed-up (1 machine)');
  });

  it('refuses a cost model of another dataset and model with one error naming both, and writes nothing', () => {
    const model = write(
      'cifar-cost.json',
      costModel({ dataset: 'cifar10-jpeg', model: 'resnet20', augment: 'crop-flip', valSplit: 0 }),
    );
    const r = dp('report', results, '--out', join(dir, 'refused'), '--cost-model', model);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /the cost model .*cifar-cost\.json was probed for cifar10-jpeg \/ resnet20 \(batch 128, augment crop-flip\), but run \S+ is fashion-mnist \/ cnn-small \(batch 128, augment none, val split 5000\)/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(spawnSync('ls', [join(dir, 'refused')]).status).not.toBe(0);
  });

  it('refuses a file that is not a cost model, and dp probe-cost without --out', () => {
    const r = dp('report', results, '--cost-model', results);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not JSON; fix: pass the JSON that `dp probe-cost --out FILE` wrote/);
    const p = dp('probe-cost', '--dataset', 'fashion-mnist');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--out FILE is required; fix: /);
  });
});
