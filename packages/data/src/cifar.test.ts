import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CIFAR10,
  CIFAR100,
  DataError,
  decodeCifarRecords,
  isShared,
  loadDataset,
  locateCifar,
  type Cifar100Dataset,
} from './index.js';
import { member, removeTempDirs, sharedDatasets, sharedPath, tar, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

const c10 = sharedPath('cifar-10-exact-subset-bin');
const c100 = sharedPath('cifar-100-binary-partial');
const records = (file: string, rec: number) => readFileSync(file).length / rec;

describe('decodeCifarRecords', () => {
  it('turns R, G, B planes into NHWC and keeps every label byte (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (n, nl, salt) => {
          const rec = nl + 3072;
          const bytes = new Uint8Array(n * rec);
          for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761 + salt) >>> 24;
          for (let r = 0; r < n; r++) for (let f = 0; f < nl; f++) bytes[r * rec + f] = (r + f) % 10;
          const images = new Uint8Array(n * 3072);
          const labels = Array.from({ length: nl }, () => new Uint8Array(n));
          const fields = Array.from({ length: nl }, () => ({ name: 'label' as const, numClasses: 10 }));
          expect(decodeCifarRecords(bytes, fields, images, labels, 0)).toBe(n);
          for (let r = 0; r < n; r++) {
            for (let f = 0; f < nl; f++) expect(labels[f]![r]).toBe((r + f) % 10);
            for (const p of [0, 31, 32, 500, 1023]) {
              for (let ch = 0; ch < 3; ch++)
                expect(images[r * 3072 + p * 3 + ch]).toBe(bytes[r * rec + nl + ch * 1024 + p]);
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects a partial record and an out-of-range label', () => {
    const fields = [{ name: 'label' as const, numClasses: 10 }];
    const out = () => [new Uint8Array(2 * 3072), [new Uint8Array(2)]] as const;
    expect(() => decodeCifarRecords(new Uint8Array(3073 + 100), fields, ...out(), 0, 'x.bin')).toThrow(
      /x.bin: 3173 bytes is 1 whole 3073-byte records plus 100 bytes of a partial record/,
    );
    const bad = new Uint8Array(2 * 3073);
    bad[3073] = 10;
    expect(() => decodeCifarRecords(bad, fields, ...out(), 0, 'y.bin')).toThrow(
      /y.bin: label byte 10 of record 1 is out of range \[0, 9\]/,
    );
  });
});

describe.skipIf(!c10)('CIFAR-10 binary (byte-exact subset in ../shared/datasets)', () => {
  it('loads every record of data_batch_1..5 and test_batch with labels, names and NHWC pixels from the file', async () => {
    const { train, test, source } = await loadDataset('cifar10', { dataDir: sharedDatasets(), env: {} });
    expect(source).toBe(c10);
    const trainCount = CIFAR10.train.reduce((a, f) => a + records(join(c10!, f), 3073), 0);
    expect(train.size).toBe(trainCount);
    expect(test.size).toBe(records(join(c10!, 'test_batch.bin'), 3073));
    expect(train.shape).toEqual([32, 32, 3]);
    expect(train.classNames).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
    expect(isShared(train.images)).toBe(true);
    // The first training record is a frog; its pixel (0, 0) is R 59, G 62, B 63 and (5, 7) is R 119, G 77, B 37.
    expect(train.classNames[train.labels[0]!]).toBe('frog');
    expect([...train.images.subarray(0, 3)]).toEqual([59, 62, 63]);
    const p = (5 * 32 + 7) * 3;
    expect([...train.images.subarray(p, p + 3)]).toEqual([119, 77, 37]);
    expect(train.labels[1]).toBe(9); // truck
    expect(test.labels[0]).toBe(3); // cat
    // Every label and every pixel equals the file's bytes (planes -> NHWC), checked over all of test_batch.bin.
    const raw = readFileSync(join(c10!, 'test_batch.bin'));
    for (let r = 0; r < test.size; r++) {
      expect(test.labels[r]).toBe(raw[r * 3073]);
      const px = r * 3073 + 1 + ((r * 37) % 1024);
      const o = r * 3072 + ((r * 37) % 1024) * 3;
      expect([test.images[o], test.images[o + 1], test.images[o + 2]]).toEqual([
        raw[px],
        raw[px + 1024],
        raw[px + 2048],
      ]);
    }
    // Class balance of the official test set's first records: every class present, none dominating.
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(Math.min(...counts)).toBeGreaterThan(test.size / 20);
    expect(Math.max(...counts)).toBeLessThan(test.size / 5);
    expect(test.mean).toEqual(train.mean);
    expect(train.mean[0]).toBeGreaterThan(0.45);
    expect(train.mean[0]).toBeLessThan(0.53);
  });

  it('accepts the official folder name cifar-10-batches-bin under --data-dir, and $DP_DATA_DIR', async () => {
    const dir = tempDir('c10name');
    mkdirSync(join(dir, 'cifar-10-batches-bin'));
    for (const f of [...CIFAR10.train, ...CIFAR10.test, 'batches.meta.txt'])
      symlinkSync(join(c10!, f), join(dir, 'cifar-10-batches-bin', f));
    expect(locateCifar(CIFAR10, { dataDir: dir })).toBe(join(dir, 'cifar-10-batches-bin'));
    expect(locateCifar(CIFAR10, { env: { DP_DATA_DIR: dir, DP_CACHE_DIR: dir } })).toBe(
      join(dir, 'cifar-10-batches-bin'),
    );
    const { test } = await loadDataset('cifar10', { env: { DP_DATA_DIR: dir, DP_CACHE_DIR: join(dir, 'cache') } });
    expect(test.labels[0]).toBe(3);
    rmSync(dir, { recursive: true });
  });

  it('without a local copy, extracts the official archive from the cache (built here from the subset files)', async () => {
    const cache = tempDir('c10cache');
    mkdirSync(join(cache, 'downloads'));
    const files = [...CIFAR10.train, ...CIFAR10.test, 'batches.meta.txt'];
    const archive = tar(
      member('cifar-10-batches-bin/', '', '5'),
      ...files.map((f) => member(`cifar-10-batches-bin/${f}`, readFileSync(join(c10!, f)))),
    );
    writeFileSync(join(cache, 'downloads', 'cifar-10-binary.tar.gz'), gzipSync(archive, { level: 1 }));
    const phases: string[] = [];
    const { train, source } = await loadDataset('cifar10', {
      env: { DP_CACHE_DIR: cache },
      onProgress: (p) => phases.push(p.phase),
    });
    expect(source).toBe(join(cache, 'cifar-10-batches-bin'));
    expect(train.labels[0]).toBe(6);
    expect([...train.images.subarray(0, 3)]).toEqual([59, 62, 63]);
    expect(phases).toContain('extract');
    expect(phases).toContain('read');
    rmSync(cache, { recursive: true });
  });

  it('corrupt copies: a partial record, an out-of-range label, a missing batch, a bad meta file: one clear error each', async () => {
    const setup = () => {
      const dir = tempDir('c10bad');
      const sub = join(dir, 'cifar-10-batches-bin');
      mkdirSync(sub);
      for (const f of [...CIFAR10.train, ...CIFAR10.test, 'batches.meta.txt']) symlinkSync(join(c10!, f), join(sub, f));
      return { dir, sub };
    };
    const load = (dir: string) => loadDataset('cifar10', { dataDir: dir, env: { DP_CACHE_DIR: join(dir, 'cache') } });
    const test = readFileSync(join(c10!, 'test_batch.bin'));

    let { dir, sub } = setup();
    rmSync(join(sub, 'test_batch.bin'));
    writeFileSync(join(sub, 'test_batch.bin'), test.subarray(0, test.length - 1000));
    await expect(load(dir)).rejects.toThrow(
      /test_batch.bin: 3124241 bytes is 1016 whole 3073-byte records plus 2073 bytes of a partial record[^\n]*; fix: /,
    );

    ({ dir, sub } = setup());
    const bad = Buffer.from(test);
    bad[5 * 3073] = 12;
    rmSync(join(sub, 'test_batch.bin'));
    writeFileSync(join(sub, 'test_batch.bin'), bad);
    await expect(load(dir)).rejects.toThrow(/test_batch.bin: label byte 12 of record 5 is out of range \[0, 9\]/);

    ({ dir, sub } = setup());
    rmSync(join(sub, 'data_batch_3.bin'));
    await expect(load(dir)).rejects.toThrow(
      /cifar10 binary files not found: .*cifar-10-batches-bin has some of its files but lacks data_batch_3.bin; fix: put .* in .*cifar-10-batches-bin \(extract cifar-10-binary.tar.gz/,
    );

    ({ dir, sub } = setup());
    rmSync(join(sub, 'batches.meta.txt'));
    writeFileSync(join(sub, 'batches.meta.txt'), 'cat\ndog\n');
    await expect(load(dir)).rejects.toThrow(/batches.meta.txt: expected 10 class names, one per line, found 2/);

    ({ dir, sub } = setup());
    rmSync(join(sub, 'data_batch_2.bin'));
    writeFileSync(join(sub, 'data_batch_2.bin'), '');
    await expect(load(dir)).rejects.toThrow(/data_batch_2.bin: 0 bytes .*\(empty file\)/);
  });
});

describe('CIFAR search order', () => {
  /** `root/folder` holding every file `spec` needs (empty: only their presence matters to locateCifar). */
  const fake = (root: string, folder: string, spec: typeof CIFAR10) => {
    mkdirSync(join(root, folder), { recursive: true });
    for (const f of [...spec.train, ...spec.test, ...spec.fields.map((x) => x.namesFile)])
      writeFileSync(join(root, folder, f), '');
    return join(root, folder);
  };

  it('$DP_DATA_DIR wins over the cache whatever folder name either uses (a decoy in the cache is not picked)', () => {
    for (const [spec, official, other] of [
      [CIFAR10, 'cifar-10-batches-bin', 'cifar-10-exact-subset-bin'],
      [CIFAR100, 'cifar-100-binary', 'cifar-100-binary-partial'],
    ] as const) {
      const data = tempDir('order-data');
      const cache = tempDir('order-cache');
      const decoy = fake(cache, official, spec);
      const wanted = fake(data, other, spec);
      expect(locateCifar(spec, { env: { DP_DATA_DIR: data, DP_CACHE_DIR: cache } })).toBe(wanted);
      // $DP_DATA_DIR itself holding the files also comes before the cache.
      const flat = tempDir('order-flat');
      fake(flat, '.', spec);
      expect(locateCifar(spec, { env: { DP_DATA_DIR: flat, DP_CACHE_DIR: cache } })).toBe(flat);
      // Without $DP_DATA_DIR the cache copy is used.
      expect(locateCifar(spec, { env: { DP_CACHE_DIR: cache } })).toBe(decoy);
    }
  });

  it.skipIf(!c10)('loads the $DP_DATA_DIR copy although the cache holds a (corrupt) official-name folder', async () => {
    const data = tempDir('order-load');
    mkdirSync(join(data, 'cifar-10-exact-subset-bin'));
    for (const f of [...CIFAR10.train, ...CIFAR10.test, 'batches.meta.txt'])
      symlinkSync(join(c10!, f), join(data, 'cifar-10-exact-subset-bin', f));
    const cache = tempDir('order-decoy');
    fake(cache, 'cifar-10-batches-bin', CIFAR10);
    const { test, source } = await loadDataset('cifar10', {
      env: { DP_DATA_DIR: data, DP_CACHE_DIR: cache },
      download: false,
    });
    expect(source).toBe(join(data, 'cifar-10-exact-subset-bin'));
    expect(test.labels[0]).toBe(3);
  });
});

describe('CIFAR location errors', () => {
  it('offline with nothing found: names the missing files and where to put them', async () => {
    const dir = tempDir('c10none');
    const err = await loadDataset('cifar10', { env: { DP_CACHE_DIR: dir }, download: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(
      /cifar10 binary files not found: none of .* has its files \(data_batch_1.bin, .*test_batch.bin, batches.meta.txt\); fix: put .* in .*cifar-10-batches-bin/,
    );
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!c100)('CIFAR-100 binary (byte-exact partial set in ../shared/datasets)', () => {
  it('fine labels by default, coarse on request, both always available and consistent', async () => {
    const fine = await loadDataset('cifar100', { dataDir: sharedDatasets(), env: {} });
    const train = fine.train as Cifar100Dataset;
    expect(train.size).toBe(records(join(c100!, 'train.bin'), 3074));
    expect(fine.test.size).toBe(records(join(c100!, 'test.bin'), 3074));
    expect(train.numClasses).toBe(100);
    expect(train.classNames).toHaveLength(100);
    expect(train.coarseClassNames).toHaveLength(20);
    // First training record: fine 19 = cattle, coarse 11 = large omnivores and herbivores; pixel (0,0) is white.
    expect(train.classNames[train.labels[0]!]).toBe('cattle');
    expect(train.coarseClassNames[train.coarseLabels[0]!]).toBe('large_omnivores_and_herbivores');
    expect([...train.images.subarray(0, 3)]).toEqual([255, 255, 255]);
    // CIFAR-100's hierarchy: each fine class belongs to exactly one superclass.
    const parent = new Map<number, number>();
    for (let i = 0; i < train.size; i++) {
      const f = train.fineLabels[i]!;
      const c = train.coarseLabels[i]!;
      expect(parent.get(f) ?? c).toBe(c);
      parent.set(f, c);
    }
    const coarse = await loadDataset('cifar100-coarse', { dataDir: sharedDatasets(), env: {} });
    expect(coarse.train.numClasses).toBe(20);
    expect(coarse.train.name).toBe('cifar100-coarse');
    expect([...coarse.train.labels]).toEqual([...train.coarseLabels]);
    const viaOption = await loadDataset('cifar100', { dataDir: sharedDatasets(), env: {}, labels: 'coarse' });
    expect([...viaOption.test.labels]).toEqual([...coarse.test.labels]);
  });

  it('rejects a fine label >= 100 and a truncated file', async () => {
    const dir = tempDir('c100bad');
    const sub = join(dir, 'cifar-100-binary');
    mkdirSync(sub);
    for (const f of ['coarse_label_names.txt', 'fine_label_names.txt', 'test.bin'])
      copyFileSync(join(c100!, f), join(sub, f));
    const train = readFileSync(join(c100!, 'train.bin'));
    const bad = Buffer.from(train);
    bad[3 * 3074 + 1] = 100;
    writeFileSync(join(sub, 'train.bin'), bad);
    await expect(loadDataset('cifar100', { dataDir: dir, env: {} })).rejects.toThrow(
      /train.bin: fine byte 100 of record 3 is out of range \[0, 99\]/,
    );
    writeFileSync(join(sub, 'train.bin'), train.subarray(0, 3074 * 2 + 5));
    await expect(loadDataset('cifar100', { dataDir: dir, env: {} })).rejects.toThrow(
      /train.bin: 6153 bytes is 2 whole 3074-byte records plus 5 bytes/,
    );
    await expect(loadDataset('cifar100', { dataDir: dir, env: {}, labels: 'medium' as never })).rejects.toThrow(
      /labels = 'medium' is invalid; fix: use 'fine' or 'coarse'/,
    );
    expect(CIFAR100.fields.map((f) => f.name)).toEqual(['coarse', 'fine']);
  });
});
