import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readScoreFile } from '@dp/scores/node';
import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const dp = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
const errors = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('dp:'));

describe('dp score and the static policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-score-'));
  const file = join(dir, 'el2n.dpscore');

  it('writes an EL2N score file with its protocol, dataset fingerprint and scoring time', async () => {
    const r = dp('score', '--method', 'el2n', '--epochs', '1', '--runs', '2', '--train-subset', '1000', '--out', file);
    expect(r.status, r.stderr).toBe(0);
    const { header, scores } = await readScoreFile(file);
    expect(header.method).toBe('el2n');
    expect(header.protocol).toMatchObject({ epochs: 1, runs: 2, model: 'cnn-small', seeds: [0, 1] });
    expect(header.dataset).toMatchObject({ name: 'fashion-mnist', size: 1000 });
    expect(header.seconds).toBeGreaterThan(0);
    // Progress as lines, also when stdout is not a terminal (here a pipe, with CI set): each run's epoch and pass.
    expect(
      r.stdout
        .split('\n')
        .filter((l) => / · \d+\/4 done/.test(l))
        .map((l) => l.replace(/ · loss .*?%| · \d+:\d\d.*$/g, '')),
    ).toEqual([
      'run 1/2 · epoch 1/1',
      'run 1/2 · scoring pass (1000 samples)',
      'run 2/2 · epoch 1/1',
      'run 2/2 · scoring pass (1000 samples)',
    ]);
    expect(scores).toHaveLength(1000);
    // EL2N lies in [0, sqrt(2)] and differs across samples.
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThanOrEqual(Math.SQRT2 + 1e-6);
    expect(new Set(scores).size).toBeGreaterThan(100);
  });

  it('logs a score taken during training (forgetting) by its epochs, with no scoring pass', () => {
    const r = dp(
      'score',
      '--method',
      'forgetting',
      '--epochs',
      '2',
      '--runs',
      '1',
      '--train-subset',
      '300',
      '--out',
      join(dir, 'forgetting.dpscore'),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => / · \d+\/\d+ done/.test(l))
        .map((l) => l.replace(/ · loss .*?%| · \d+:\d\d.*$/g, '')),
    ).toEqual(['run 1/1 · epoch 1/2', 'run 1/1 · epoch 2/2']);
    expect(r.stdout).toMatch(/ · 2\/2 done$/m);
  });

  it('the static policy trains on the top-scored subset and is charged the scoring time', async () => {
    const run = join(dir, 'static');
    const r = dp(
      'train',
      '--policy',
      'static',
      '--score-file',
      file,
      '--prune-ratio',
      '0.6',
      '--train-subset',
      '1000',
      '--test-subset',
      '200',
      '--epochs',
      '2',
      '--out',
      run,
    );
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as {
      scoringSeconds: number;
      epochs: { samples: number; selectionHash: string }[];
    };
    const { header } = await readScoreFile(file);
    expect(result.scoringSeconds).toBeCloseTo(header.seconds, 6);
    expect(result.epochs.map((e) => e.samples)).toEqual([400, 400]);
    expect(r.stdout).toMatch(/s of static scoring \(/);
  });

  it('rejects a score file for another training set, a truncated one, and a missing one', () => {
    const other = dp(
      'train',
      '--policy',
      'static',
      '--score-file',
      file,
      '--train-subset',
      '1200',
      '--epochs',
      '1',
      '--out',
      join(dir, 'x'),
    );
    expect(other.status).toBe(2);
    expect(errors(other.stderr)).toEqual([
      expect.stringMatching(/holds scores for 1000 samples .* but the training set has 1200; fix: /),
    ]);
    const cut = join(dir, 'cut.dpscore');
    spawnSync('cp', [file, cut]);
    truncateSync(cut, 100);
    const t = dp(
      'train',
      '--policy',
      'static',
      '--score-file',
      cut,
      '--train-subset',
      '1000',
      '--epochs',
      '1',
      '--out',
      join(dir, 'y'),
    );
    expect(t.status).toBe(2);
    expect(errors(t.stderr)).toHaveLength(1);
    expect(errors(t.stderr)[0]).toMatch(/cut\.dpscore.*; fix: /);
    const none = dp('train', '--policy', 'static', '--epochs', '1');
    expect(errors(none.stderr)).toEqual([expect.stringMatching(/policy = "static" needs a score file; fix: /)]);
    const conflict = dp('train', '--policy', 'random', '--score-file', file, '--epochs', '1');
    expect(errors(conflict.stderr)).toEqual([expect.stringMatching(/conflicts with policy = "random"/)]);
  });

  it('trains its scoring runs as dp train would: the augmentation is applied and recorded', async () => {
    const plain = join(dir, 'plain.dpscore');
    const augmented = join(dir, 'augmented.dpscore');
    const common = [
      'score',
      '--method',
      'el2n',
      '--epochs',
      '1',
      '--runs',
      '1',
      '--train-subset',
      '400',
      '--batch-size',
      '50',
    ];
    expect(dp(...common, '--out', plain).status).toBe(0);
    expect(dp(...common, '--augment', 'crop-flip', '--out', augmented).status).toBe(0);
    const a = await readScoreFile(plain);
    const b = await readScoreFile(augmented);
    expect(a.header.protocol).toMatchObject({ augment: 'none', batchSize: 50, lr: 0.05, labelSmoothing: 0 });
    expect(b.header.protocol).toMatchObject({ augment: 'crop-flip' });
    // Same seed, same batches: only the augmented training can make the scores differ.
    expect(Array.from(b.scores)).not.toEqual(Array.from(a.scores));
  });

  it('refuses run flags that scoring would ignore, and leaves them out of its help', () => {
    const r = dp('score', '--method', 'el2n', '--policy', 'random', '--eval-every', '2');
    expect(r.status).toBe(2);
    expect(errors(r.stderr)).toEqual([
      expect.stringMatching(/^dp: error: dp score does not take --policy, --eval-every: .*; fix: /),
    ]);
    const help = dp('score', '--help').stdout;
    expect(help).not.toMatch(/--policy NAME|--prune-ratio|--eval-every|\(default 3\)/);
    expect(help.match(/^ {2}--epochs /gm)).toHaveLength(1);
    expect(help).toMatch(/^ {2}--augment NAME/m);
  });

  it('loads a scoring plug-in by package name', () => {
    const out = join(dir, 'margin.dpscore');
    const r = dp(
      'score',
      '--score',
      '@dp/score-margin',
      '--method',
      'margin',
      '--epochs',
      '1',
      '--train-subset',
      '500',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const missing = dp('score', '--score', '@dp/score-nope', '--method', 'margin');
    expect(missing.status).toBe(2);
    expect(errors(missing.stderr)).toEqual([
      expect.stringMatching(/@dp\/score-nope.*not installed.*; fix: npm install @dp\/score-nope/),
    ]);
  });
});

/** An ImageNet-layout folder of 16x16 PNGs, two classes of 4 training images; `shade` sets every pixel value. */
async function imageFolder(shade: (cls: number, i: number) => number): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'dp-score-folder-'));
  for (const [split, n] of [
    ['train', 4],
    ['val', 1],
  ] as const) {
    for (const [c, cls] of ['a', 'b'].entries()) {
      mkdirSync(join(root, split, cls), { recursive: true });
      for (let i = 0; i < n; i++) {
        const pixels = tf.tidy(() => tf.fill([16, 16, 3], shade(c, i), 'int32')) as tf.Tensor3D;
        writeFileSync(join(root, split, cls, `${i}.png`), await tf.node.encodePng(pixels));
        pixels.dispose();
      }
    }
  }
  return root;
}

describe('dp train --score-file on image folders', () => {
  it('refuses a score file of another image folder with the same class counts (same name, size and labels)', async () => {
    const env2 = { ...env, DP_CACHE_DIR: mkdtempSync(join(tmpdir(), 'dp-score-cache-')) };
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: env2 });
    const mine = await imageFolder((c, i) => 40 + 150 * c + 5 * i);
    const other = await imageFolder((c, i) => 60 + 120 * c + 7 * i);
    const file = join(mine, 'el2n.dpscore');
    const common = ['--dataset', 'imagefolder', '--epochs', '1', '--batch-size', '4'];
    const scored = run('score', '--method', 'el2n', '--runs', '1', '--data-dir', mine, ...common, '--out', file);
    expect(scored.status, scored.stderr).toBe(0);
    const train = (dataDir: string, out: string) =>
      run(
        'train',
        '--policy',
        'static',
        '--score-file',
        file,
        '--prune-ratio',
        '0.5',
        '--data-dir',
        dataDir,
        ...common,
        '--out',
        join(mine, out),
      );
    const ok = train(mine, 'ok');
    expect(ok.status, ok.stderr).toBe(0);
    expect(errors(ok.stderr)).toEqual([]);
    const refused = train(other, 'other');
    expect(refused.status).toBe(2);
    expect(errors(refused.stderr)).toEqual([
      expect.stringMatching(
        /^dp: error: score file .*el2n\.dpscore was computed on other images: pixel fingerprint \(dataset\.pixels\) [0-9a-f]{12}\.\.\. \('imagefolder', 8 samples, same labels\) differs .*; fix: /,
      ),
    ]);
    expect((await readScoreFile(file)).header.dataset).toMatchObject({
      name: 'imagefolder',
      size: 8,
      pixels: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // A file of the previous format (version 1: no header checksum, no pixels) still loads, with one warning.
    const old = join(mine, 'v1.dpscore');
    writeFileSync(old, asVersion1(readFileSync(file)));
    const legacy = run(
      'train',
      '--policy',
      'static',
      '--score-file',
      old,
      '--prune-ratio',
      '0.5',
      '--data-dir',
      mine,
      ...common,
      '--out',
      join(mine, 'legacy'),
    );
    expect(legacy.status, legacy.stderr).toBe(0);
    expect(errors(legacy.stderr)).toEqual([
      expect.stringMatching(
        /^dp: warning: score file .*v1\.dpscore is format version 1: its header \(seconds, protocol\) has no checksum, and it has no pixel fingerprint.*; fix: regenerate it with `dp score`/,
      ),
    ]);
  });
});

/** The same score file as @dp/scores 0.1.0 wrote it: format version 1, without headerSha256 and dataset.pixels. */
function asVersion1(bytes: Uint8Array): Uint8Array {
  const h = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const {
    headerSha256: _,
    dataset: { pixels: _p, ...dataset },
    ...rest
  } = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h)));
  const json = new TextEncoder().encode(JSON.stringify({ ...rest, version: 1, dataset }));
  const padded = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + padded + bytes.length - 12 - h).fill(0x20, 12, 12 + padded);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, padded, true);
  out.set(json, 12);
  out.set(bytes.subarray(12 + h), 12 + padded);
  return out;
}
