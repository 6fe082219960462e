import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const dp = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });

describe('dp train --val-split (a real run on Fashion-MNIST)', () => {
  it('trains on the rest of the training subset and evaluates on the validation split, and says so everywhere', () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-val-'));
    const out = join(root, 'run');
    const r = dp(
      'train',
      '--dataset',
      'fashion-mnist',
      '--train-subset',
      '2000',
      '--test-subset',
      '500',
      '--epochs',
      '1',
      '--val-split',
      '500',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dp train: fashion-mnist \(1500 train \/ 500 validation, from /);
    expect(r.stdout).toMatch(/^epoch 1\/1 · 1500 samples · .* · validation acc \d+\.\d\d% /m);
    expect(r.stdout).toMatch(/^final validation accuracy: \d+\.\d\d% · training cost .* for 1500 samples$/m);
    expect(r.stdout).not.toMatch(/test acc/);

    const start = JSON.parse(readFileSync(join(out, 'log.jsonl'), 'utf8').split('\n')[0]!) as {
      type: string;
      config: { valSplit: number };
      data: Record<string, unknown>;
    };
    expect(start.type).toBe('start');
    expect(start.config.valSplit).toBe(500);
    expect(start.data).toMatchObject({ train: 1500, validation: 500, evaluatedOn: 'validation' });
    expect(start.data.test).toBeUndefined();

    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      key: string;
      evaluatedOn: string;
      evaluationSamples: number;
      samplesTrained: number;
      finalAccuracy: number;
      epochs: { samples: number; testAccuracy: number }[];
    };
    expect(result).toMatchObject({ evaluatedOn: 'validation', evaluationSamples: 500, samplesTrained: 1500 });
    expect(result.key).toContain('["valSplit",500]');
    expect(result.epochs[0]!.samples).toBe(1500);
    // An accuracy over 500 samples: a whole number of them right.
    const right = result.finalAccuracy * 500;
    expect(Math.abs(right - Math.round(right))).toBeLessThan(1e-6);
    expect(result.epochs[0]!.testAccuracy).toBe(result.finalAccuracy);
    const events = readdirSync(join(out, 'tensorboard'))
      .map((f) => readFileSync(join(out, 'tensorboard', f), 'latin1'))
      .join('');
    expect(events).toContain('validation/accuracy');
    expect(events).not.toContain('test/accuracy');

    // dp report labels the accuracy column by what the runs were evaluated on.
    const report = dp('report', out, '--out', join(root, 'report'));
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/\| validation acc \(%\) \|/);
    expect(report.stdout).not.toMatch(/test acc/);
  });

  it.each([
    [
      ['--val-split', '-1'],
      /^dp: error: --val-split -1 is invalid: expected an integer >= 0 \(training samples held out for validation\); fix: e\.g\. --val-split 5000, or 0 to evaluate on the test set$/,
    ],
    [['--val-split', '1.5'], /^dp: error: --val-split 1\.5 is invalid: expected an integer >= 0 .*; fix: /],
    [['--val-split', 'abc'], /^dp: error: --val-split abc is invalid: expected an integer >= 0 .*; fix: /],
    [
      ['--val-split', '60000'],
      /^dp: error: --val-split 60000 is not smaller than the set it is carved from \(nothing would be left to train on\): fashion-mnist\/train has 60000 samples in 10 classes, so it allows 10 to 59990 \(.*\); fix: use --val-split from 10 to 59990, or 0 for no validation split$/,
    ],
    [
      ['--train-subset', '20', '--val-split', '15'],
      /^dp: error: --val-split 15 leaves a class with no training sample: fashion-mnist\/train \(--train-subset 20\) has 20 samples in 10 classes, so it allows only 10 .*; fix: use --val-split 10, or 0 /,
    ],
    [
      ['--train-subset', '20', '--val-split', '5'],
      /^dp: error: --val-split 5 leaves a class with no validation sample: .* so it allows only 10 .*; fix: /,
    ],
  ])(
    'train %j fails with one error line naming value, range and fix, exit code 2, and no run directory',
    (args, pattern) => {
      const out = join(mkdtempSync(join(tmpdir(), 'dp-val-bad-')), 'run');
      const r = dp('train', ...args, '--out', out);
      const stderr = r.stderr.split('\n').filter((l) => l && !/^(WARNING: All log messages|I0000|W0000)/.test(l));
      expect(r.status).toBe(2);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(pattern);
      expect(readdirSync(dirname(out))).toEqual([]);
    },
  );

  it('a config file is checked the same way, and --help documents the flag with an example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-val-cfg-'));
    const cfg = join(dir, 'run.json');
    writeFileSync(cfg, JSON.stringify({ valSplit: -5 }));
    const r = dp('train', '--config', cfg, '--out', join(dir, 'run'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^dp: error: valSplit = -5 is invalid: expected an integer >= 0 .*; fix: e\.g\. --val-split 5000, or 0 to evaluate on the test set$/m,
    );
    const help = dp('train', '--help').stdout;
    expect(help).toMatch(/^ {2}--val-split N {11}hold out N training samples/m);
    expect(help).toMatch(/^ {2}dp train .*--val-split 5000 /m);
  });
});
