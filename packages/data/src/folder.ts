import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { channelStats, type DatasetPair, type ImageDataset } from './dataset.js';
import { decoderIdentity } from './decoder-identity.js';
import { DataError } from './errors.js';
import { readCache, writeCache } from './folder-cache.js';
import { contentFingerprint } from './folder-content.js';
import {
  checkFit,
  decodeFolder,
  DecodePool,
  decodeWorkerCount,
  type DecodedSplit,
  type DecodeOptions,
} from './folder-decode.js';
import { scanImageFolder, type FolderScan } from './folder-scan.js';
import { cacheDir, searchDirs } from './locate.js';
import { warn, type CommonLoadOptions } from './options.js';

/** Bump when decoding or resampling changes, so old caches are rebuilt. */
const CACHE_FORMAT = 1;

/**
 * Image folders in the ImageNet layout, root/<split>/<class>/*.{jpg,jpeg,png}: classes sorted by folder name,
 * files sorted by name. Decoding is injected (an `ImageDecoder` for this thread, and/or a module exporting
 * `decodeImage` for worker threads), so this module stays free of TensorFlow; `@dp/data/image-folder` supplies
 * the tfjs-node decoder, and `loadDataset` wires it in.
 */

export interface ImageFolderLoadOptions extends DecodeOptions {
  /** Cache decoded pixels under cacheDir()/image-folder (default true). */
  cache?: boolean;
}

/**
 * The cache file of root/<split> with these options, and the key its content must carry. A custom decoder is part
 * of both (see decoder-identity.ts); the built-in one is not, which keeps the default key as it always was.
 */
export function folderCachePath(
  scan: FolderScan,
  opts: Pick<ImageFolderLoadOptions, 'resize' | 'crop' | 'env' | 'decodeImage' | 'decodeModule'>,
): { path: string; key: string; listKey: string; contentKey: (contentFingerprint: string) => string } {
  const decoder = decoderIdentity(opts);
  const optionKey = JSON.stringify({
    format: CACHE_FORMAT,
    resize: opts.resize ?? null,
    crop: opts.crop ?? null,
    ...(decoder ? { decoder } : {}),
  });
  let real = scan.dir;
  try {
    real = realpathSync(scan.dir);
  } catch {
    /* keep as given */
  }
  const name = createHash('sha1').update(`${real}\0${optionKey}`).digest('hex').slice(0, 24);
  const keyOf = (fingerprint: string) =>
    createHash('sha1')
      .update(`${fingerprint}\0${optionKey}\0${scan.classNames.join('\0')}`)
      .digest('hex');
  return {
    path: join(cacheDir(opts.env), 'image-folder', `${name}.bin`),
    key: keyOf(scan.fingerprint),
    listKey: keyOf(`listing ${scan.listing}`),
    contentKey: (content) => keyOf(`content ${content}`),
  };
}

/** Decode worker threads started on first need and shared by the splits of one load. */
export class LazyPool {
  private pool: DecodePool | undefined;
  constructor(private readonly opts: DecodeOptions) {}
  get(size: number): DecodePool {
    this.pool ??= new DecodePool(size, this.opts);
    return this.pool;
  }
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/**
 * Decode root/<split> or read it from the cache (rebuilding, with a warning, a stale or corrupt cache).
 * `pool` shares decode workers between splits (default: a pool for this split when workers are used).
 */
export async function loadFolderSplit(
  root: string,
  split: string,
  opts: ImageFolderLoadOptions = {},
  classNames?: readonly string[],
  pool?: LazyPool,
): Promise<DecodedSplit & { cache?: string; fromCache: boolean }> {
  checkFit(opts);
  const scan = scanImageFolder(root, split, classNames);
  if (scan.ignored.length)
    warn(
      opts,
      `ignored ${scan.ignored.length} non-image files in ${scan.dir} (e.g. ${scan.ignored.slice(0, 3).join(', ')})`,
    );
  opts.onProgress?.({ phase: 'scan', split, done: scan.files.length, total: scan.files.length });
  const useCache = opts.cache ?? true;
  const { path, key, listKey, contentKey } = folderCachePath(scan, opts);
  if (useCache) {
    // Only when the stat key differs but the same files have the same sizes: are the bytes the same too (mtimes
    // reset by re-copying, re-extracting or re-mounting the folder at this path)?
    const sameContent = (recorded: string) => {
      const content = contentFingerprint(scan, (done, total) =>
        opts.onProgress?.({ phase: 'verify', split, done, total }),
      );
      return content !== undefined && contentKey(content) === recorded;
    };
    const got = readCache(
      path,
      key,
      (done, total) => opts.onProgress?.({ phase: 'cache', split, file: path, done, total }),
      { listKey, sameContent },
    );
    if (got.status === 'hit') {
      if (got.split.skipped.length)
        warn(
          opts,
          `${scan.dir}: ${got.split.skipped.length} unreadable files were skipped when the cache was built (e.g. ${got.split.skipped.slice(0, 3).join(', ')})`,
        );
      if (got.rekeyed) {
        // Record the new stat key so the next load takes the fast path again.
        try {
          writeCache(path, key, got.split, got.keys);
        } catch (e) {
          warn(
            opts,
            `could not update the image cache ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; the next load checks the files' contents again`,
          );
        }
      }
      return { ...got.split, cache: path, fromCache: true };
    }
    if (got.status !== 'missing')
      warn(opts, `image cache ${path} for ${scan.dir} is ${got.status} (${got.problem}); rebuilding it`);
  }
  const workers = decodeWorkerCount(scan.files.length, opts);
  if (!workers && !opts.decodeImage)
    throw new DataError(
      `no image decoder for ${scan.dir}`,
      "load through loadDataset, or pass decodeImage (e.g. decodeImageTfjs from '@dp/data/image-folder', which needs @tensorflow/tfjs-node)",
    );
  let decoded: DecodedSplit;
  if (!workers) decoded = decodeFolder(scan, opts.decodeImage!, opts);
  else {
    const own = pool ? undefined : new LazyPool(opts);
    try {
      decoded = await (pool ?? own!).get(workers).decode(scan, opts);
    } finally {
      await own?.close();
    }
  }
  if (!useCache) return { ...decoded, fromCache: false };
  try {
    decoded = {
      ...decoded,
      stats: writeCache(
        path,
        key,
        decoded,
        decoded.contentFingerprint ? { listKey, contentKey: contentKey(decoded.contentFingerprint) } : undefined,
      ),
    };
  } catch (e) {
    warn(
      opts,
      `could not write the image cache ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; the next load decodes again`,
    );
    return { ...decoded, fromCache: false };
  }
  return { ...decoded, cache: path, fromCache: false };
}

function toDataset(
  name: string,
  split: string,
  s: DecodedSplit,
  stats: { mean: number[]; std: number[] },
): ImageDataset {
  const labels = s.classNames.length <= 256 ? Uint8Array.from(s.labels) : s.labels;
  return {
    name,
    split,
    size: s.labels.length,
    shape: s.shape,
    images: s.images,
    labels,
    numClasses: s.classNames.length,
    classNames: s.classNames,
    ...stats,
  };
}

/**
 * Load root/train and root/val (or root/test) as a dataset pair named `name`. Classes come from the training
 * split's folder names; both splits are normalised with the training set's statistics.
 */
export async function loadImageFolderPair(
  name: string,
  root: string,
  opts: ImageFolderLoadOptions = {},
): Promise<DatasetPair> {
  const testSplit = existsSync(join(root, 'val')) ? 'val' : 'test';
  const pool = new LazyPool(opts);
  let train: Awaited<ReturnType<typeof loadFolderSplit>>;
  let test: typeof train;
  try {
    train = await loadFolderSplit(root, 'train', opts, undefined, pool);
    test = await loadFolderSplit(root, testSplit, opts, train.classNames, pool);
  } finally {
    await pool.close();
  }
  if (test.shape[0] !== train.shape[0] || test.shape[1] !== train.shape[1]) {
    throw new DataError(
      `${join(root, testSplit)} images are ${test.shape[0]}x${test.shape[1]} but ${join(root, 'train')} images are ${train.shape[0]}x${train.shape[1]}`,
      'pass resize and crop options to bring both splits to one size',
    );
  }
  const stats = train.stats ?? channelStats(train.images, 3);
  return { train: toDataset(name, 'train', train, stats), test: toDataset(name, testSplit, test, stats), source: root };
}

const JPEG_FOLDERS = ['cifar10-jpeg', 'cifar-10-jpeg'];

function isFolderRoot(dir: string): boolean {
  return existsSync(join(dir, 'train')) && (existsSync(join(dir, 'test')) || existsSync(join(dir, 'val')));
}

/** Root of the CIFAR-10 JPEG folder (`cifar10-jpeg/{train,test}/<class>/*.jpg`) under the usual places. */
export function locateCifar10Jpeg(opts: CommonLoadOptions = {}): string | undefined {
  const dirs = searchDirs(JPEG_FOLDERS, [], opts);
  return dirs.find(isFolderRoot);
}

/** The `cifar10-jpeg` dataset: the CIFAR-10 image folder, found like the other datasets (no download exists). */
export async function loadCifar10Jpeg(opts: ImageFolderLoadOptions = {}): Promise<DatasetPair> {
  const root = locateCifar10Jpeg(opts);
  if (!root) {
    const dirs = searchDirs(JPEG_FOLDERS, [], opts);
    throw new DataError(
      `cifar10-jpeg not found (looked for train/ and test/ in ${dirs.join(', ')})`,
      `put the folder at ${join(opts.dataDir ?? cacheDir(opts.env), 'cifar10-jpeg')} as {train,test}/<class>/*.jpg`,
    );
  }
  return loadImageFolderPair('cifar10-jpeg', root, opts);
}

/** The `imagefolder` dataset: an ImageNet-layout folder at --data-dir (or $DP_DATA_DIR). */
export async function loadImageFolder(opts: ImageFolderLoadOptions = {}): Promise<DatasetPair> {
  const root = opts.dataDir ?? (opts.env ?? process.env).DP_DATA_DIR;
  if (!root)
    throw new DataError(
      'the imagefolder dataset needs a folder',
      'pass --data-dir DIR (dataDir) with DIR/train/<class>/*.jpg and DIR/val/<class>/*.jpg',
    );
  if (!isFolderRoot(root))
    throw new DataError(
      `${root} is not an image folder (it needs train/ and val/ or test/ subfolders)`,
      `lay it out as ${root}/train/<class>/*.jpg and ${root}/val/<class>/*.jpg`,
    );
  return loadImageFolderPair('imagefolder', root, opts);
}
