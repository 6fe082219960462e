import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  FASHION_MNIST,
  batches,
  datasetNames,
  loadDataset,
  loadIdxDataset,
  locateIdx,
  type LoadProgress,
} from './index.js';
import { removeTempDirs, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

const system = locateIdx(FASHION_MNIST, { env: {} });

describe.skipIf(!system)('Fashion-MNIST from Debian (dataset-fashion-mnist)', () => {
  it('loads 60,000 + 10,000 28x28 images with 6,000 / 1,000 per class and upstream-exact pixels', async () => {
    const { train, test } = await loadDataset('fashion-mnist', { env: {}, download: false });
    expect(train.size).toBe(60000);
    expect(test.size).toBe(10000);
    expect(train.shape).toEqual([28, 28, 1]);
    const counts = new Array(10).fill(0);
    for (const l of train.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    // md5 of the decompressed upstream train-images IDX payload matches the published file.
    const header = new Uint8Array([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
    const md5 = createHash('md5').update(header).update(train.images).digest('hex');
    expect(md5).toBe('f4a8712d7a061bf5bd6d2ca38dc4d50a');
    // Known first labels of the official training set: Ankle boot, T-shirt/top, T-shirt/top, Dress.
    expect([...train.labels.subarray(0, 4)]).toEqual([9, 0, 0, 3]);
    expect(test.mean).toEqual(train.mean);
    expect(train.mean[0]).toBeCloseTo(0.286, 2);
  });

  it('batches carry their sample ids, labels and weights', async () => {
    const { test } = await loadDataset('fashion-mnist', { env: {}, download: false });
    const indices = Uint32Array.from([5, 9, 1, 7, 3]);
    const weights = Float32Array.from([1, 2, 3, 4, 5]);
    const out = [...batches(test, { batchSize: 2, indices, weights })];
    expect(out.map((b) => [...b.ids])).toEqual([[5, 9], [1, 7], [3]]);
    expect([...out[1]!.weights]).toEqual([3, 4]);
    expect(out[0]!.labels[1]).toBe(test.labels[9]);
    expect(out[0]!.images.subarray(784, 1568)).toEqual(test.images.subarray(9 * 784, 10 * 784));
  });

  it('reports a corrupt file in --data-dir by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-fmnist-'));
    for (const f of ['train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
      copyFileSync(join(system!, f), join(dir, f));
    const good = readFileSync(join(system!, 'train-images-idx3-ubyte.gz'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), good.subarray(0, good.length >> 1));
    await expect(loadDataset('fashion-mnist', { dataDir: dir, env: {} })).rejects.toThrow(
      /train-images-idx3-ubyte.gz: corrupt gzip data/,
    );
  });
});

describe.skipIf(!system)('Fashion-MNIST corrupt copies (built in a temp dir): one clear error each', () => {
  const files = [
    'train-images-idx3-ubyte.gz',
    'train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte.gz',
    't10k-labels-idx1-ubyte.gz',
  ];
  /** A --data-dir with the Debian files, `t10k-labels` replaced by `labels` (plain IDX bytes). */
  const withTestLabels = (labels: Uint8Array, imagesToo?: Uint8Array) => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-fmnist-bad-'));
    for (const f of files.slice(0, 3)) copyFileSync(join(system!, f), join(dir, f));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    if (imagesToo) writeFileSync(join(dir, 't10k-images-idx3-ubyte'), imagesToo);
    return dir;
  };
  const realLabels = () => new Uint8Array(gunzipSync(readFileSync(join(system!, 't10k-labels-idx1-ubyte.gz'))));

  it('wrong magic number (an images file where labels belong)', async () => {
    const images = new Uint8Array(gunzipSync(readFileSync(join(system!, 't10k-images-idx3-ubyte.gz'))));
    const dir = withTestLabels(images);
    await expect(loadDataset('fashion-mnist', { dataDir: dir, env: {} })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: expected 1 dim \(N\), header has 3; fix: check that the images and labels files are not swapped/,
    );
    const bad = realLabels();
    bad[2] = 0x0b;
    await expect(loadDataset('fashion-mnist', { dataDir: withTestLabels(bad), env: {} })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: wrong IDX magic number 0x00000b01/,
    );
  });

  it('label byte out of range, image/label count mismatch', async () => {
    const bad = realLabels();
    bad[8 + 1234] = 10;
    await expect(loadDataset('fashion-mnist', { dataDir: withTestLabels(bad), env: {} })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: label 10 of sample 1234 is out of range \[0, 9\]/,
    );
    const short = realLabels().subarray(0, 8 + 9999);
    const header = new DataView(short.buffer, short.byteOffset);
    header.setUint32(4, 9999, false);
    await expect(loadDataset('fashion-mnist', { dataDir: withTestLabels(short), env: {} })).rejects.toThrow(
      /test split: 10000 images in .*t10k-images-idx3-ubyte.gz but 9999 labels in .*t10k-labels-idx1-ubyte/,
    );
  });
});

describe('dataset location errors', () => {
  it('an empty --data-dir names the missing files and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-empty-'));
    await expect(loadDataset('fashion-mnist', { dataDir: dir, env: {} })).rejects.toThrow(
      /no fashion-mnist IDX files there[\s\S]*fix: put the four files in/,
    );
  });

  it('an unknown dataset lists the known ones', () => {
    expect(() => loadDataset('imagenet-21k')).toThrow(/unknown dataset 'imagenet-21k'[\s\S]*fashion-mnist/);
    expect(datasetNames()).toEqual([
      'fashion-mnist',
      'mnist',
      'cifar10',
      'cifar100',
      'cifar100-coarse',
      'cifar10-jpeg',
      'imagefolder',
    ]);
  });
});

describe('MNIST-family download (a local server with a tiny IDX set)', () => {
  /** An unsigned-byte IDX file with these dims, payload byte i = (i * 7 + salt) % 10. */
  const idx = (dims: number[], salt: number) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt32BE(0x800 + dims.length, 0);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    const n = dims.reduce((a, b) => a * b, 1);
    return gzipSync(Buffer.concat([header, Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + salt) % 10))]));
  };
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte.gz': idx([4, 2, 2], 1),
    'train-labels-idx1-ubyte.gz': idx([4], 2),
    't10k-images-idx3-ubyte.gz': idx([2, 2, 2], 3),
    't10k-labels-idx1-ubyte.gz': idx([2], 4),
  };
  const md5 = Object.fromEntries(
    Object.entries(files).map(([f, b]) => [f.replace('.gz', ''), createHash('md5').update(b).digest('hex')]),
  );
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = files[(req.url ?? '').replace('/ok/', '')];
      if (!req.url?.startsWith('/ok/') || !body) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const spec = (mirrors: string[]) => ({
    ...FASHION_MNIST,
    name: 'tiny',
    folder: 'tiny-idx',
    systemPaths: [],
    remote: { base: mirrors, md5: md5 as typeof FASHION_MNIST.remote.md5 },
  });

  it('reports onProgress download and read phases, like the CIFAR loaders', async () => {
    const cache = tempDir('idx-dl');
    const seen: LoadProgress[] = [];
    const { train, test } = await loadIdxDataset(spec([`${base}/ok/`]), {
      env: { DP_CACHE_DIR: cache },
      onProgress: (p) => seen.push(p),
    });
    expect([train.size, test.size]).toEqual([4, 2]);
    const downloads = seen.filter((p) => p.phase === 'download');
    expect(new Set(downloads.map((p) => p.file))).toEqual(new Set(Object.keys(files)));
    const last = downloads.filter((p) => p.file === 'train-labels-idx1-ubyte.gz').at(-1)!;
    expect([last.done, last.total]).toEqual([
      files['train-labels-idx1-ubyte.gz']!.length,
      files['train-labels-idx1-ubyte.gz']!.length,
    ]);
    expect(
      seen
        .filter((p) => p.phase === 'read')
        .map((p) => `${p.split} ${p.done}/${p.total} ${p.file!.slice(cache.length)}`),
    ).toEqual([
      'train 1/2 /tiny-idx/train-images-idx3-ubyte.gz',
      'train 2/2 /tiny-idx/train-labels-idx1-ubyte.gz',
      'test 1/2 /tiny-idx/t10k-images-idx3-ubyte.gz',
      'test 2/2 /tiny-idx/t10k-labels-idx1-ubyte.gz',
    ]);
    // A second load reads the cache copy: read phases only.
    seen.length = 0;
    await loadIdxDataset(spec([`${base}/ok/`]), { env: { DP_CACHE_DIR: cache }, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.phase)).toEqual(['read', 'read', 'read', 'read']);
  });

  it('a failed download is a one-line DataError naming every mirror and the fix', async () => {
    const cache = tempDir('idx-fail');
    const err = await loadIdxDataset(spec([`${base}/gone/`, `${base}/also-gone/`]), {
      env: { DP_CACHE_DIR: cache },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^tiny not found locally \(searched .*\) and the download failed: could not download train-images-idx3-ubyte.gz \(all 2 mirrors failed: .*\/gone\/train-images-idx3-ubyte.gz: HTTP 404; .*\/also-gone\/train-images-idx3-ubyte.gz: HTTP 404\); fix: [^;]*$/,
    );
  });
});
