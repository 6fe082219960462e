import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const cacheDir = mkdtempSync(join(tmpdir(), 'dp-folder-cache-'));
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1', DP_CACHE_DIR: cacheDir };
const dp = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
const errors = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('dp:'));

/** An ImageNet-layout folder of JPEGs in two sizes (20x24 and 24x20), two classes told apart by brightness. */
async function mixedSizeFolder(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'dp-folder-'));
  for (const [split, n] of [
    ['train', 12],
    ['val', 4],
  ] as const) {
    for (const [c, cls] of ['dark', 'light'].entries()) {
      mkdirSync(join(root, split, cls), { recursive: true });
      for (let i = 0; i < n; i++) {
        const [h, w] = i % 2 ? [20, 24] : [24, 20];
        const pixels = tf.tidy(() => tf.fill([h, w, 3], c ? 200 + i : 30 + i, 'int32')) as tf.Tensor3D;
        writeFileSync(join(root, split, cls, `${i}.jpg`), await tf.node.encodeJpeg(pixels));
        pixels.dispose();
      }
    }
  }
  return root;
}

describe('dp train on an image folder of mixed sizes', () => {
  let root: string;
  beforeAll(async () => {
    root = await mixedSizeFolder();
  });

  it('refuses it without --resize / --crop, naming the files and the fix', () => {
    const r = dp('train', '--dataset', 'imagefolder', '--data-dir', root, '--epochs', '1');
    expect(r.status).toBe(2);
    expect(errors(r.stderr)).toEqual([
      expect.stringMatching(
        /is 2\dx2\d but .* is 2\dx2\d: images of one dataset must share a size; fix: pass resize and crop/,
      ),
    ]);
  });

  it('trains at the size --resize / --crop give, and records them in the run config', () => {
    const out = join(root, 'run');
    const r = dp(
      'train',
      '--dataset',
      'imagefolder',
      '--data-dir',
      root,
      '--resize',
      '18',
      '--crop',
      '16',
      '--epochs',
      '1',
      '--batch-size',
      '8',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      config: { resize: number; crop: number };
      finalAccuracy: number;
    };
    expect(result.config).toMatchObject({ resize: 18, crop: 16 });
    expect(result.finalAccuracy).toBeGreaterThanOrEqual(0);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8');
    expect(log).toContain('"shape":[16,16,3],"classes":2');
  });

  it('refuses a model the images are too small for before the run directory appears', () => {
    const out = join(root, 'too-small');
    const r = dp(
      'train',
      '--dataset',
      'imagefolder',
      '--data-dir',
      root,
      '--resize',
      '8',
      '--crop',
      '6',
      '--model',
      'resnet18',
      '--epochs',
      '1',
      '--out',
      out,
    );
    expect(r.status).toBe(2);
    expect(errors(r.stderr)).toEqual([expect.stringMatching(/inputShape = \[6, 6, 3\] is too small for resnet18/)]);
    expect(existsSync(out)).toBe(false);
  });
});
