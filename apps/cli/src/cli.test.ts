import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const FMNIST = '/usr/share/datasets/fashion-mnist';
const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

function dp(...args: string[]) {
  return dpWith({}, ...args);
}

function dpWith(extraEnv: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...extraEnv },
  });
  // TensorFlow's own start-up notices (absl) are not ours: drop them before checking what dp printed.
  const stderr = r.stderr.split('\n').filter((l) => l && !/^(WARNING: All log messages|I0000|W0000)/.test(l));
  return { code: r.status, stdout: r.stdout, stderr };
}

/** A data dir with Fashion-MNIST where one file is replaced by `bytes`. */
function dataDirWith(file: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'dp-cli-'));
  for (const f of FILES) copyFileSync(join(FMNIST, f), join(dir, f));
  writeFileSync(join(dir, file), bytes);
  return dir;
}

describe('dp', () => {
  it('--help lists the commands with examples', () => {
    const r = dp('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train[\s\S]*doctor[\s\S]*Examples:/);
    const t = dp('train', '--help');
    expect(t.stdout).toMatch(/--policy NAME[\s\S]*random[\s\S]*Examples:/);
  });

  it('--version prints the package and version; `dp help train` is `dp train --help`; a near-miss command suggests the right one', () => {
    const pkg = JSON.parse(readFileSync(join(dirname(bin), '..', 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const v = dp('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${pkg.name} ${pkg.version}\n`);
    const h = dp('help', 'train');
    expect(h.code).toBe(0);
    expect(h.stdout).toBe(dp('train', '--help').stdout);
    const typo = dp('trian');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toEqual([
      "dp: error: unknown command 'trian'; fix: did you mean `dp train`? use one of compare, train, launch, bench, score, report, probe-cost, doctor, setup-backend (dp --help)",
    ]);
    expect(dp('xyzzy').stderr[0]).not.toMatch(/did you mean/);
    expect(dp('constructor').stderr[0]).toMatch(/^dp: error: unknown command 'constructor'/);
  });

  it('stops quietly when the reader of its output goes away (dp bench --dry-run | head -1)', () => {
    // 3,000 plan lines (~150 KB) overflow the pipe's buffer, so dp is still writing when head has exited.
    const seeds = Array.from({ length: 1000 }, (_, i) => i).join(',');
    const dir = mkdtempSync(join(tmpdir(), 'dp-cli-'));
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"$0" "$1" bench --results "$2" --seeds "$3" --dry-run | head -1; echo "status \${PIPESTATUS[0]}" >&2`,
        process.execPath,
        bin,
        join(dir, 'r.jsonl'),
        seeds,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/^dp bench: 3000 runs in the sweep/);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.stderr.trim()).toBe('status 0');
  });

  it('doctor reports the native backend', () => {
    const r = dp('doctor');
    expect(r.stdout).toMatch(/^backend\s+tensorflow$/m);
    expect(r.stdout).toMatch(/^TensorFlow\s+2\.\d+/m);
    expect(r.stdout).toMatch(/^inference\s+compiled TensorFlow graph, checked/m);
    expect(r.stdout).toMatch(
      /^distributed\s+(addon loads \(TensorFlow 2\.\d+.* collectives\)|unavailable \(one-process training is unaffected\): .*fix: )/m,
    );
    expect(r.code).toBe(0);
  });

  it('never trains on the pure-JS backend by accident: doctor fails and train refuses without --allow-cpu', () => {
    // DP_TFJS=gpu asks for @tensorflow/tfjs-node-gpu, which is not installed here: the native backend cannot load.
    const doc = dpWith({ DP_TFJS: 'gpu' }, 'doctor');
    expect(doc.code).toBe(1);
    expect(doc.stdout).toMatch(/^backend\s+cpu$/m);
    expect(doc.stdout).toMatch(/FAIL: training would run on the pure-JS 'cpu' backend/);
    // Inside the repository the fix is its set-up script; doctor was not given --allow-cpu and does not claim it was.
    expect(doc.stdout).toMatch(/fix: run `npm run setup -- --gpu`\./);
    expect(doc.stderr.join('\n')).not.toMatch(/--allow-cpu was given/);
    const t = dpWith({ DP_TFJS: 'gpu' }, 'train', '--epochs', '1', '--train-subset', '100');
    expect(t.code).toBe(2);
    expect(t.stderr).toHaveLength(1);
    expect(t.stderr[0]).toMatch(
      /^dp: error: the native TensorFlow backend \(@tensorflow\/tfjs-node-gpu\) could not load: .*; fix: run `npm run setup -- --gpu`, or pass --allow-cpu/,
    );
  });

  it.each([
    [['--dataset', 'cifar1000'], /^dp: error: unknown dataset "cifar1000"; fix: use one of .*fashion-mnist/],
    [['--model', 'resnet9000'], /^dp: error: unknown model "resnet9000"; fix: use one of .*cnn-small.*resnet20/],
    [
      ['--epochs', '0'],
      /^dp: error: --epochs 0 is invalid: expected an integer >= 1 and <= 100000; fix: give --epochs a value in that range$/,
    ],
    [
      ['--prune-ratio', '1', '--policy', 'random'],
      /^dp: error: --prune-ratio 1 is invalid: expected a number >= 0 and < 1; fix: give --prune-ratio a value in that range$/,
    ],
    [['--bogus'], /^dp: error: Unknown option '--bogus'; fix: see `dp train --help`$/],
    [
      ['--policy', 'full', '--prune-ratio', '0.5'],
      /^dp: error: pruneRatio = 0.5 conflicts with policy = "full" .*; fix: /,
    ],
    [['--policy', 'ucb', '--policy-option', 'c=-1'], /^dp: error: policy 'ucb': c = -1 is invalid: expected /],
    [
      ['--seed', '-1'],
      /^dp: error: --seed -1 is invalid: expected an integer >= 0 and <= 4294967295; fix: give --seed a value in that range$/,
    ],
    [['--epochs', '0x10'], /^dp: error: --epochs 0x10 is invalid: expected an integer >= 1/],
    [
      ['--test-subset', '99999'],
      /^dp: error: a subset of 99999 samples is larger than fashion-mnist\/test \(10000 samples\)/,
    ],
    [
      ['--config', '/nonexistent/run.json'],
      /^dp: error: cannot read config file \/nonexistent\/run.json: ENOENT \(no such file\); fix: give --config the path of a JSON file/,
    ],
    [
      ['--data-dir', '/nonexistent/dp-data'],
      /^dp: error: --data-dir \/nonexistent\/dp-data: no fashion-mnist IDX files there .*; fix: put the four files in/,
    ],
  ])('train %j fails with one clear error line and leaves no run directory', (args, pattern) => {
    const out = join(mkdtempSync(join(tmpdir(), 'dp-bad-')), 'run');
    const r = dp('train', ...args, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });

  it('a corrupt IDX file (wrong magic number) is named with the fix', () => {
    const raw = gunzipSync(readFileSync(join(FMNIST, 't10k-labels-idx1-ubyte.gz')));
    raw[2] = 0x0b;
    const dir = dataDirWith('t10k-labels-idx1-ubyte.gz', gzipSync(raw));
    const r = dp('train', '--data-dir', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/t10k-labels-idx1-ubyte.gz: wrong IDX magic number 0x00000b01 .*; fix: /);
  });

  it('a truncated IDX file is named with the fix', () => {
    const raw = gunzipSync(readFileSync(join(FMNIST, 'train-labels-idx1-ubyte.gz')));
    const dir = dataDirWith('train-labels-idx1-ubyte.gz', gzipSync(raw.subarray(0, 30000)));
    const r = dp('train', '--data-dir', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(
      /train-labels-idx1-ubyte.gz: IDX payload is 29992 bytes but the header's dims 60000 need 60000 \(truncated file\); fix: /,
    );
  });
});
