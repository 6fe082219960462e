import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageTfjs, loadImageFolderPairTfjs } from './image-folder.js';
import { contentFingerprint } from './folder-content.js';
import {
  folderCachePath,
  loadDataset,
  loadFolderSplit,
  loadImageFolderPair,
  locateCifar10Jpeg,
  readCache,
  scanImageFolder,
  writeCache,
  type LoadOptions,
  type LoadProgress,
} from './index.js';
import { bundleForTests, removeTempDirs, sameBytes, sharedDatasets, sharedPath, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

const jpeg = sharedPath('cifar10-jpeg');
const c10 = sharedPath('cifar-10-exact-subset-bin');
const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** A small copy of the CIFAR-10 JPEG folder: the first `train` / `test` images of each class. */
function smallFolder(train = 25, test = 10, testName = 'test'): string {
  const root = join(tempDir('jpeg'), 'cifar10-jpeg');
  for (const [split, n, to] of [
    ['train', train, 'train'],
    ['test', test, testName],
  ] as const) {
    for (const cls of CLASSES) {
      mkdirSync(join(root, to, cls), { recursive: true });
      for (const f of readdirSync(join(jpeg!, split, cls))
        .sort()
        .slice(0, n))
        copyFileSync(join(jpeg!, split, cls, f), join(root, to, cls, f));
    }
  }
  return root;
}

function collect(extra: Partial<LoadOptions> = {}) {
  const warnings: string[] = [];
  const phases = new Set<LoadProgress['phase']>();
  const cache = tempDir('cache');
  const opts: LoadOptions = {
    env: { DP_CACHE_DIR: cache },
    onWarning: (m) => warnings.push(m),
    onProgress: (p) => phases.add(p.phase),
    ...extra,
  };
  return {
    warnings,
    phases,
    cache,
    opts,
    reset: () => {
      warnings.length = 0;
      phases.clear();
    },
  };
}

describe('cifar10-jpeg search order', () => {
  it('$DP_DATA_DIR wins over the cache whatever folder name either uses (a decoy in the cache is not picked)', () => {
    const data = tempDir('order-data');
    const cache = tempDir('order-cache');
    for (const split of ['train', 'test']) {
      mkdirSync(join(cache, 'cifar10-jpeg', split), { recursive: true });
      mkdirSync(join(data, 'cifar-10-jpeg', split), { recursive: true });
    }
    expect(locateCifar10Jpeg({ env: { DP_DATA_DIR: data, DP_CACHE_DIR: cache } })).toBe(join(data, 'cifar-10-jpeg'));
    expect(locateCifar10Jpeg({ env: { DP_CACHE_DIR: cache } })).toBe(join(cache, 'cifar10-jpeg'));
  });
});

describe.skipIf(!jpeg)('image folders (a few hundred CIFAR-10 JPEGs copied to a temp dir)', () => {
  let root: string;
  beforeAll(() => {
    root = smallFolder();
  });

  it('loads classes sorted by folder, files sorted by name, NHWC RGB, then the same bytes from the cache', async () => {
    const c = collect({ dataDir: join(root, '..') });
    const first = await loadDataset('cifar10-jpeg', c.opts);
    expect(first.source).toBe(root);
    expect(first.train.size).toBe(250);
    expect(first.test.size).toBe(100);
    expect(first.train.shape).toEqual([32, 32, 3]);
    expect(first.train.classNames).toEqual(CLASSES);
    expect([...first.train.labels.subarray(0, 26)]).toEqual([...new Array(25).fill(0), 1]);
    expect(first.test.labels[99]).toBe(9);
    expect(c.phases.has('decode')).toBe(true);
    expect(c.warnings).toEqual([]);
    // Pixel 0 of the first image is the decoder's output for train/airplane/0000.jpg.
    const direct = decodeImageTfjs(readFileSync(join(root, 'train', 'airplane', '0000.jpg')), 'x');
    expect(sameBytes(first.train.images.subarray(0, 3072), direct.data)).toBe(true);

    c.reset();
    const again = await loadDataset('cifar10-jpeg', c.opts);
    expect(c.phases.has('cache')).toBe(true);
    expect(c.phases.has('decode')).toBe(false);
    expect(sameBytes(again.train.images, first.train.images)).toBe(true);
    expect(sameBytes(again.test.labels, first.test.labels)).toBe(true);
    expect(again.train.mean).toEqual(first.train.mean);
  });

  it.skipIf(!c10)(
    'matches the byte-exact binary record: train/frog/0000.jpg is record 0 of data_batch_1 (JPEG error only)',
    async () => {
      const { train: bin } = await loadDataset('cifar10', { dataDir: sharedDatasets(), env: {} });
      const frog = decodeImageTfjs(readFileSync(join(jpeg!, 'train', 'frog', '0000.jpg')), 'frog');
      const mad = (id: number) => {
        let s = 0;
        for (let i = 0; i < 3072; i++) s += Math.abs(frog.data[i]! - bin.images[id * 3072 + i]!);
        return s / 3072;
      };
      expect(mad(0)).toBeLessThan(8);
      expect(mad(1)).toBeGreaterThan(25);
    },
  );

  it('a stale cache (folder changed) and a corrupt or truncated cache are rebuilt with a warning, never used', async () => {
    const r = smallFolder(8, 3);
    const c = collect();
    const first = await loadImageFolderPairTfjs('t', r, c.opts);
    const { path } = folderCachePath(scanImageFolder(r, 'train'), c.opts);
    // Corrupt one pixel byte in the cache: checksum mismatch.
    const bytes = readFileSync(path);
    bytes[bytes.length - 5]! ^= 0xff;
    writeFileSync(path, bytes);
    c.reset();
    const rebuilt = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([
      expect.stringMatching(
        /^image cache .* for .*train is corrupt \(checksum mismatch \(the file was damaged\)\); rebuilding it$/,
      ),
    ]);
    expect(sameBytes(rebuilt.train.images, first.train.images)).toBe(true);
    // Damage inside the header that keeps it valid JSON of the same length (a digit of the statistics): caught by
    // the checksum too, so wrong normalisation constants are never used.
    const healthy = readFileSync(path);
    const text = healthy.toString('latin1');
    const at = text.indexOf('"mean":[') + 8;
    const digit = text.slice(at).search(/[0-8]/) + at;
    healthy[digit] = healthy[digit]! + 1;
    writeFileSync(path, healthy);
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([
      expect.stringMatching(/is corrupt \(checksum mismatch \(the file was damaged\)\); rebuilding it$/),
    ]);
    // Truncated cache.
    writeFileSync(path, bytes.subarray(0, 1000));
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([
      expect.stringMatching(
        /is corrupt \(file is 1000 bytes, its header needs \d+ \(truncated or overwritten\)\); rebuilding it/,
      ),
    ]);
    // Not a cache at all.
    writeFileSync(path, 'garbage garbage');
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([expect.stringMatching(/is corrupt \(bad magic number/)]);
    // Folder changed: one more image -> stale cache, rebuilt with the new image.
    copyFileSync(join(jpeg!, 'train', 'cat', '0100.jpg'), join(r, 'train', 'cat', 'zz-new.jpg'));
    c.reset();
    const grown = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([
      expect.stringMatching(
        /train is stale \(the folder or the load options changed since it was written\); rebuilding it/,
      ),
    ]);
    expect(grown.train.size).toBe(81);
    expect(c.phases.has('verify')).toBe(false); // another listing: no need to read the files to know
    // A file rewritten with other bytes of the same size: the listing still matches, so the files are read, and the
    // contents no longer match.
    const f = join(r, 'train', 'dog', '0000.jpg');
    const st = statSync(f);
    const swapped = Buffer.from(readFileSync(f));
    swapped[swapped.length - 3]! ^= 0x01; // one bit in the entropy-coded data: still a decodable JPEG
    writeFileSync(f, swapped);
    utimesSync(f, st.atime, new Date(st.mtimeMs + 1000));
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([expect.stringMatching(/train is stale/)]);
    expect(c.phases.has('verify')).toBe(true);
    expect(c.phases.has('decode')).toBe(true);
  });

  it('a cache write that fails at the rename leaves no temporary file behind', () => {
    const dir = tempDir('cache-rename');
    const path = join(dir, 'split.bin');
    mkdirSync(path); // a directory in the way: the rename fails
    writeFileSync(join(path, 'x'), 'x');
    const split = {
      images: new Uint8Array(12),
      labels: Uint16Array.from([0]),
      shape: [2, 2, 3] as [number, number, number],
      classNames: ['a'],
      skipped: [],
    };
    expect(() => writeCache(path, 'k', split)).toThrow();
    expect(readdirSync(dir)).toEqual(['split.bin']);
  });

  it('a folder whose mtimes changed but whose bytes did not (copied, re-extracted, re-mounted) keeps its cache', async () => {
    const r = smallFolder(6, 2);
    const c = collect();
    const first = await loadImageFolderPairTfjs('t', r, c.opts);
    const { path } = folderCachePath(scanImageFolder(r, 'train'), c.opts);
    // Every file gets a new mtime, as `cp -r` without -p or a fresh mount gives.
    const later = new Date(Date.now() + 3_600_000);
    for (const split of ['train', 'test'])
      for (const cls of CLASSES)
        for (const f of readdirSync(join(r, split, cls))) utimesSync(join(r, split, cls, f), later, later);
    c.reset();
    const again = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([]);
    expect(c.phases.has('verify')).toBe(true);
    expect(c.phases.has('decode')).toBe(false);
    expect(sameBytes(again.train.images, first.train.images)).toBe(true);
    expect(again.train.mean).toEqual(first.train.mean);
    // The cache now carries the new stat key: the next load neither verifies nor decodes.
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect([...c.phases].sort()).toEqual(['cache', 'scan']);
    // A cache written without a content key (before this check existed) is rebuilt, as before.
    const scan = scanImageFolder(r, 'train');
    writeCache(path, 'an old stat key', {
      images: first.train.images,
      labels: Uint16Array.from(first.train.labels),
      shape: [...first.train.shape] as [number, number, number],
      classNames: CLASSES,
      skipped: [],
    });
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([expect.stringMatching(/train is stale/)]);
    expect(c.phases.has('verify')).toBe(false);
    expect(readCache(path, folderCachePath(scan, c.opts).key).status).toBe('hit');
    // A listed file that cannot be read any more (replaced by a dangling symlink of the same name): another listing,
    // so the cache is rebuilt without reading the others, skipping it.
    rmSync(join(r, 'train', 'cat', '0000.jpg'));
    symlinkSync(join(r, 'gone.jpg'), join(r, 'train', 'cat', '0000.jpg'));
    c.reset();
    const dangling = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings).toEqual([
      expect.stringMatching(/train is stale/),
      expect.stringMatching(/skipping .*cat\/0000.jpg: ENOENT/),
    ]);
    expect(c.phases.has('verify')).toBe(false);
    expect(dangling.train.size).toBe(59);
    // Reading the files afresh vouches for nothing when one of them has gone since the scan.
    const before = scanImageFolder(r, 'train');
    expect(contentFingerprint(before)).toBeUndefined(); // the dangling symlink
    rmSync(join(r, 'train', 'cat', '0000.jpg'));
    const listed = scanImageFolder(r, 'train');
    expect(contentFingerprint(listed)).toMatch(/^[0-9a-f]{40}$/);
    rmSync(join(r, 'train', 'dog', '0001.jpg'));
    expect(contentFingerprint(listed)).toBeUndefined();
  });

  it('skips an unreadable or non-image file with a warning naming it; ignores other files; the cache remembers the skip', async () => {
    const r = smallFolder(6, 2);
    writeFileSync(join(r, 'train', 'cat', '0003.jpg'), 'this is not an image');
    const good = readFileSync(join(jpeg!, 'train', 'dog', '0001.jpg'));
    writeFileSync(join(r, 'train', 'dog', 'cut.jpg'), good.subarray(0, good.length >> 2));
    writeFileSync(join(r, 'train', 'bird', 'notes.txt'), 'hello');
    const c = collect();
    const { train } = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(train.size).toBe(59); // 60 copied + cut.jpg - 2 skipped
    expect(c.warnings).toEqual([
      expect.stringMatching(/^ignored 1 non-image files in .*train \(e.g. bird\/notes.txt\)$/),
      expect.stringMatching(/^skipping .*train\/cat\/0003.jpg: not a JPEG or PNG file \(starts with 74 68 69 73\)$/),
      expect.stringMatching(
        /^skipping .*train\/dog\/cut.jpg: truncated JPEG \(no end-of-image marker after the image data\)$/,
      ),
    ]);
    // The cat class lost one image: 5 cats (label 3) remain, and every remaining image is a decodable one.
    expect([...train.labels].filter((l) => l === 3)).toHaveLength(5);
    c.reset();
    await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.warnings.join('\n')).toMatch(
      /2 unreadable files were skipped when the cache was built \(e.g. cat\/0003.jpg, dog\/cut.jpg\)/,
    );
  });

  it('skips a dangling *.jpg symlink with a warning (no raw fs error) and records it among the skipped files in the cache', async () => {
    const r = smallFolder(4, 1);
    symlinkSync(join(r, 'gone.jpg'), join(r, 'train', 'cat', '0002b.jpg'));
    const c = collect();
    const { train } = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(train.size).toBe(40);
    expect(c.warnings).toEqual([expect.stringMatching(/^skipping .*train\/cat\/0002b.jpg: ENOENT$/)]);
    c.reset();
    const again = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(c.phases.has('decode')).toBe(false);
    expect(sameBytes(again.train.images, train.images)).toBe(true);
    expect(c.warnings).toEqual([
      expect.stringMatching(/1 unreadable files were skipped when the cache was built \(e.g. cat\/0002b.jpg\)/),
    ]);
  });

  it('an empty class folder, a class missing from train, mixed sizes, no folder: one clear error each', async () => {
    const r = smallFolder(3, 1);
    mkdirSync(join(r, 'train', 'zebra'));
    const c = collect();
    await expect(loadImageFolderPairTfjs('t', r, c.opts)).rejects.toThrow(
      /^empty class folder .*train\/zebra \(no .jpg, .jpeg or .png files\); fix: add its images or remove the folder$/,
    );
    rmSync(join(r, 'train', 'zebra'), { recursive: true });
    mkdirSync(join(r, 'test', 'zebra'));
    copyFileSync(join(r, 'test', 'cat', '0000.jpg'), join(r, 'test', 'zebra', 'a.jpg'));
    await expect(loadImageFolderPairTfjs('t', r, c.opts)).rejects.toThrow(
      /test\/zebra is a class the training split does not have/,
    );
    rmSync(join(r, 'test', 'zebra'), { recursive: true });
    const big = tf.zeros([40, 40, 3], 'int32') as tf.Tensor3D;
    writeFileSync(join(r, 'train', 'cat', 'big.png'), await tf.node.encodePng(big));
    big.dispose();
    await expect(loadImageFolderPairTfjs('t', r, c.opts)).rejects.toThrow(
      /big.png is 40x40 but .* is 32x32: images of one dataset must share a size; fix: pass resize and crop options/,
    );
    const both = await loadImageFolderPairTfjs('t', r, { ...c.opts, resize: 36, crop: 32 });
    expect(both.train.size).toBe(31);
    await expect(loadImageFolderPairTfjs('t', join(r, 'nope'), c.opts)).rejects.toThrow(
      /image folder .*nope has no train\/ directory/,
    );
    await expect(loadDataset('imagefolder', { env: {} })).rejects.toThrow(
      /the imagefolder dataset needs a folder; fix: pass --data-dir/,
    );
    await expect(loadDataset('cifar10-jpeg', { dataDir: tempDir('none'), env: {} })).rejects.toThrow(
      /cifar10-jpeg not found/,
    );
    await expect(loadImageFolderPairTfjs('t', r, { ...c.opts, crop: 0 })).rejects.toThrow(
      /crop = 0 is invalid; fix: use an integer number of pixels in \[1, 4096\]/,
    );
  });

  it('decode worker threads give the same split as decoding on the main thread, skips included', async () => {
    const r = smallFolder(12, 2);
    writeFileSync(join(r, 'train', 'dog', '0005.jpg'), 'junk');
    // A decoder module for the workers: tfjs-node's JPEG decoder, required from this package.
    const mod = join(tempDir('decoder'), 'decoder.mjs');
    writeFileSync(
      mod,
      `import { createRequire } from 'node:module';
const tf = createRequire(${JSON.stringify(fileURLToPath(import.meta.url))})('@tensorflow/tfjs-node');
export function decodeImage(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG');
  const t = tf.node.decodeJpeg(bytes, 3);
  const data = Uint8Array.from(t.dataSync());
  const [height, width] = t.shape;
  t.dispose();
  return { data, height, width, channels: 3 };
}
`,
    );
    const decodeWorkerScript = await bundleForTests('decode-worker');
    const c = collect({ cache: false });
    const inline = await loadImageFolderPairTfjs('t', r, c.opts);
    const inlineWarnings = [...c.warnings];
    c.reset();
    // Workers only (no decoder on this thread): the module's decoder does all the work, in jobs spread over 3 threads.
    const parallel = await loadImageFolderPair('t', r, {
      ...c.opts,
      decodeModule: pathToFileURL(mod),
      decodeWorkers: 3,
      decodeWorkerScript,
    });
    expect(parallel.train.size).toBe(119);
    expect(sameBytes(parallel.train.images, inline.train.images)).toBe(true);
    expect(sameBytes(parallel.train.labels, inline.train.labels)).toBe(true);
    expect(sameBytes(parallel.test.images, inline.test.images)).toBe(true);
    expect(c.warnings).toEqual([expect.stringMatching(/skipping .*dog\/0005.jpg: not a JPEG$/)]);
    expect(inlineWarnings).toEqual([expect.stringMatching(/skipping .*dog\/0005.jpg: not a JPEG or PNG file/)]);
    await expect(
      loadImageFolderPair('t', r, {
        ...c.opts,
        decodeModule: pathToFileURL(join(r, 'none.mjs')),
        decodeWorkers: 2,
        decodeWorkerScript,
      }),
    ).rejects.toThrow(
      /image decode worker failed: Cannot find module .*none.mjs.*; fix: check that decodeModule .* can be imported in a worker thread, or use decodeWorkers: 0/,
    );
    // With a decoder here as well, this thread shares the work: same bytes again.
    const mixed = await loadImageFolderPairTfjs('t', r, {
      ...c.opts,
      decodeModule: pathToFileURL(mod),
      decodeWorkers: 1,
      decodeWorkerScript,
    });
    expect(sameBytes(mixed.train.images, inline.train.images)).toBe(true);
    // The content fingerprint (file digests gathered while decoding) is the same however the work was spread, and
    // it is what reading the files afresh gives.
    const bySplit = await Promise.all([
      loadFolderSplit(r, 'train', { ...c.opts, decodeImage: decodeImageTfjs }),
      loadFolderSplit(r, 'train', {
        ...c.opts,
        decodeModule: pathToFileURL(mod),
        decodeWorkers: 3,
        decodeWorkerScript,
      }),
    ]);
    const scan = scanImageFolder(r, 'train');
    expect(bySplit[0].contentFingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(bySplit.map((s) => s.contentFingerprint)).toEqual([contentFingerprint(scan), contentFingerprint(scan)]);
  });

  it('a custom decoder is part of the cache key (switching decoders decodes again); the built-in one leaves the key as it was', async () => {
    const r = smallFolder(3, 1);
    const scan = scanImageFolder(r, 'train');
    const c = collect();
    // The key without a custom decoder is the one caches were always written with (the sweep's caches stay valid).
    const optionKey = JSON.stringify({ format: 1, resize: null, crop: null });
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    const old = {
      path: join(c.cache, 'image-folder', `${sha1(`${realpathSync(scan.dir)}\0${optionKey}`).slice(0, 24)}.bin`),
      key: sha1(`${scan.fingerprint}\0${optionKey}\0${scan.classNames.join('\0')}`),
    };
    expect(folderCachePath(scan, c.opts)).toMatchObject(old);
    expect(
      folderCachePath(scan, {
        ...c.opts,
        decodeImage: decodeImageTfjs,
        decodeModule: new URL('./image-folder.js', import.meta.url),
      }),
    ).toMatchObject(old);
    // Two custom decoders: each has its own cache, and neither reuses the other's pixels.
    const inverted = (bytes: Uint8Array, file: string) => {
      const img = decodeImageTfjs(bytes, file);
      return { ...img, data: img.data.map((v) => 255 - v) };
    };
    const plain = (bytes: Uint8Array, file: string) => decodeImageTfjs(bytes, file);
    const a = await loadImageFolderPair('t', r, { ...c.opts, decodeImage: inverted });
    c.reset();
    const b = await loadImageFolderPair('t', r, { ...c.opts, decodeImage: plain });
    expect(c.phases.has('decode')).toBe(true);
    expect(b.train.images[0]).toBe(255 - a.train.images[0]!);
    const builtIn = await loadImageFolderPairTfjs('t', r, c.opts);
    expect(sameBytes(builtIn.train.images, b.train.images)).toBe(true);
    c.reset();
    const again = await loadImageFolderPair('t', r, { ...c.opts, decodeImage: inverted });
    expect(c.phases.has('decode')).toBe(false);
    expect(sameBytes(again.train.images, a.train.images)).toBe(true);
    const keys = [inverted, plain].map((decodeImage) => folderCachePath(scan, { ...c.opts, decodeImage }));
    expect(new Set([old.path, ...keys.map((k) => k.path)]).size).toBe(3);
    expect(folderCachePath(scan, { ...c.opts, decodeModule: 'file:///elsewhere/decoder.mjs' }).path).not.toBe(old.path);
  });

  it('imagefolder: ImageNet layout with val/, resize and centre-crop options (cached per option set)', async () => {
    const r = smallFolder(4, 2, 'val');
    const c = collect({ dataDir: r });
    const full = await loadDataset('imagefolder', c.opts);
    expect(full.test.split).toBe('val');
    expect(full.test.size).toBe(20);
    const cropped = await loadDataset('imagefolder', { ...c.opts, crop: 24 });
    expect(cropped.train.shape).toEqual([24, 24, 3]);
    // The crop is the centre 24x24 of the 32x32 image: rows and columns 4..27.
    for (const [y, x] of [
      [0, 0],
      [10, 3],
      [23, 23],
    ] as const) {
      const a = cropped.train.images.subarray((y * 24 + x) * 3, (y * 24 + x) * 3 + 3);
      const b = full.train.images.subarray(((y + 4) * 32 + x + 4) * 3, ((y + 4) * 32 + x + 4) * 3 + 3);
      expect([...a]).toEqual([...b]);
    }
    const small = await loadDataset('imagefolder', { ...c.opts, resize: 16 });
    expect(small.train.shape).toEqual([16, 16, 3]);
    c.reset();
    await loadDataset('imagefolder', { ...c.opts, resize: 16 });
    expect(c.phases.has('decode')).toBe(false);
  });
});
