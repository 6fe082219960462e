import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { channelStats, type DatasetPair, type ImageDataset } from './dataset.js';
import { downloadFile } from './download.js';
import { DataError, errorProblem } from './errors.js';
import { cacheDir, searchDirs } from './locate.js';
import type { CommonLoadOptions } from './options.js';
import { sharedBytes } from './shared.js';
import { extractTarGz } from './tar.js';

const SIDE = 32;
const PIXELS = SIDE * SIDE;
const IMAGE_BYTES = 3 * PIXELS;

/** A label field of a CIFAR record: its byte position, how many classes it has and where its names are. */
interface LabelField {
  name: 'label' | 'coarse' | 'fine';
  numClasses: number;
  namesFile: string;
}

export interface CifarSpec {
  name: string;
  /** Folder names this dataset is found under (official extraction folder first). */
  folders: readonly string[];
  train: readonly string[];
  test: readonly string[];
  /** Label bytes in record order. */
  fields: readonly LabelField[];
  remote: { url: string; md5: string; archive: string };
}

export const CIFAR10: CifarSpec = {
  name: 'cifar10',
  folders: ['cifar-10-batches-bin', 'cifar-10-exact-subset-bin', 'cifar-10', 'cifar10'],
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
  fields: [{ name: 'label', numClasses: 10, namesFile: 'batches.meta.txt' }],
  remote: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    archive: 'cifar-10-binary.tar.gz',
  },
};

export const CIFAR100: CifarSpec = {
  name: 'cifar100',
  folders: ['cifar-100-binary', 'cifar-100-binary-partial', 'cifar-100', 'cifar100'],
  train: ['train.bin'],
  test: ['test.bin'],
  fields: [
    { name: 'coarse', numClasses: 20, namesFile: 'coarse_label_names.txt' },
    { name: 'fine', numClasses: 100, namesFile: 'fine_label_names.txt' },
  ],
  remote: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    md5: '03b5dce01913d631647c71ecec9e9cb8',
    archive: 'cifar-100-binary.tar.gz',
  },
};

/** Bytes per record of `spec`. */
export function recordBytes(spec: Pick<CifarSpec, 'fields'>): number {
  return spec.fields.length + IMAGE_BYTES;
}

/**
 * Convert whole CIFAR records (label bytes, then R, G and B planes of 32x32, row-major) into NHWC pixels at
 * `images[offset * 3072 ...]` and one label array per field at `labels[f][offset ...]`. Labels are range-checked.
 * Returns the number of records converted.
 */
export function decodeCifarRecords(
  bytes: Uint8Array,
  fields: readonly Pick<LabelField, 'name' | 'numClasses'>[],
  images: Uint8Array,
  labels: readonly Uint8Array[],
  offset: number,
  file = '<buffer>',
): number {
  const rec = fields.length + IMAGE_BYTES;
  if (bytes.length % rec !== 0) {
    const whole = Math.floor(bytes.length / rec);
    throw new DataError(
      `${file}: ${bytes.length} bytes is ${whole} whole ${rec}-byte records plus ${bytes.length - whole * rec} bytes of a partial record (truncated or not a CIFAR binary file)`,
      'the file is corrupt or truncated; delete it and download it again',
    );
  }
  const n = bytes.length / rec;
  for (let r = 0; r < n; r++) {
    const base = r * rec;
    for (let f = 0; f < fields.length; f++) {
      const v = bytes[base + f]!;
      if (v >= fields[f]!.numClasses) {
        throw new DataError(
          `${file}: ${fields[f]!.name} byte ${v} of record ${r} is out of range [0, ${fields[f]!.numClasses - 1}]`,
          'the file is corrupt; download it again',
        );
      }
      labels[f]![offset + r] = v;
    }
    const px = base + fields.length;
    let o = (offset + r) * IMAGE_BYTES;
    for (let p = 0; p < PIXELS; p++) {
      images[o++] = bytes[px + p]!;
      images[o++] = bytes[px + PIXELS + p]!;
      images[o++] = bytes[px + 2 * PIXELS + p]!;
    }
  }
  return n;
}

/** Class names from a meta file: one per line, trailing blank lines ignored; the count must match. */
export function readClassNames(path: string, expected: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'restore the meta file from the official archive',
    );
  }
  const names = text.split(/\r?\n/).map((s) => s.trim());
  while (names.length && names[names.length - 1] === '') names.pop();
  if (names.length !== expected || names.some((s) => s === '')) {
    throw new DataError(
      `${path}: expected ${expected} class names, one per line, found ${names.length}${names.includes('') ? ' (with blank lines)' : ''}`,
      'restore the meta file from the official archive',
    );
  }
  return names;
}

function requiredFiles(spec: CifarSpec): string[] {
  return [...spec.train, ...spec.test, ...spec.fields.map((f) => f.namesFile)];
}

/** Directory holding every file of `spec` (batches and meta files), or undefined. */
export function locateCifar(spec: CifarSpec, opts: CommonLoadOptions = {}): string | undefined {
  const files = requiredFiles(spec);
  return searchDirs(spec.folders, [], opts).find((d) => files.every((f) => existsSync(join(d, f))));
}

function missingReport(spec: CifarSpec, dirs: readonly string[]): string {
  const files = requiredFiles(spec);
  let best: { dir: string; missing: string[] } | undefined;
  for (const dir of dirs) {
    const missing = files.filter((f) => !existsSync(join(dir, f)));
    if (missing.length < files.length && (!best || missing.length < best.missing.length)) best = { dir, missing };
  }
  return best
    ? `${best.dir} has some of its files but lacks ${best.missing.join(', ')}`
    : `none of ${dirs.join(', ')} has its files (${files.join(', ')})`;
}

async function fetchOfficial(spec: CifarSpec, opts: CommonLoadOptions): Promise<string> {
  const cache = cacheDir(opts.env);
  const archive = join(cache, 'downloads', spec.remote.archive);
  if (!existsSync(archive)) {
    await downloadFile(
      { name: spec.remote.archive, urls: [spec.remote.url], md5: spec.remote.md5 },
      archive,
      (r, t) => {
        opts.onDownloadProgress?.(spec.remote.archive, r, t);
        opts.onProgress?.({ phase: 'download', file: spec.remote.archive, done: r, total: t });
      },
    );
  }
  opts.onProgress?.({ phase: 'extract', file: archive, done: 0, total: 1 });
  extractTarGz(archive, cache);
  opts.onProgress?.({ phase: 'extract', file: archive, done: 1, total: 1 });
  const dir = join(cache, spec.folders[0]!);
  if (!requiredFiles(spec).every((f) => existsSync(join(dir, f)))) {
    throw new DataError(
      `${archive} did not contain the expected ${spec.folders[0]}/ folder`,
      `delete ${archive} and try again`,
    );
  }
  return dir;
}

/** The uint8 NHWC pixels and every label field of a list of batch files, read into shared memory. */
function readSplit(
  spec: CifarSpec,
  dir: string,
  files: readonly string[],
  split: string,
  opts: CommonLoadOptions,
): { images: Uint8Array; labels: Uint8Array[]; size: number } {
  const rec = recordBytes(spec);
  const paths = files.map((f) => join(dir, f));
  const sizes = paths.map((p) => statSync(p).size);
  // Reject a partial record before allocating anything: the whole split is sized from the file lengths.
  paths.forEach((p, i) => {
    if (sizes[i]! % rec !== 0 || sizes[i] === 0) {
      const whole = Math.floor(sizes[i]! / rec);
      throw new DataError(
        `${p}: ${sizes[i]} bytes is ${whole} whole ${rec}-byte records plus ${sizes[i]! - whole * rec} bytes${sizes[i] === 0 ? ' (empty file)' : ' of a partial record (truncated or not a CIFAR binary file)'}`,
        'the file is corrupt or truncated; delete it and download it again',
      );
    }
  });
  const size = sizes.reduce((a, b) => a + b, 0) / rec;
  const images = sharedBytes(size * IMAGE_BYTES);
  const labels = spec.fields.map(() => new Uint8Array(size));
  let offset = 0;
  paths.forEach((p, i) => {
    const bytes = new Uint8Array(sizes[i]!);
    const fd = openSync(p, 'r');
    try {
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, got);
        if (n === 0) break;
        got += n;
      }
      if (got !== bytes.length)
        throw new DataError(
          `${p}: file shrank while being read (${got} of ${bytes.length} bytes)`,
          'do not modify dataset files during a run',
        );
    } finally {
      closeSync(fd);
    }
    offset += decodeCifarRecords(bytes, spec.fields, images, labels, offset, p);
    opts.onProgress?.({ phase: 'read', split, file: p, done: i + 1, total: paths.length });
  });
  return { images, labels, size };
}

/** A CIFAR-100 split: `labels` are the fine or coarse ones (as chosen at load); both sets stay available. */
export interface Cifar100Dataset extends ImageDataset {
  readonly fineLabels: Uint8Array;
  readonly coarseLabels: Uint8Array;
  readonly fineClassNames: readonly string[];
  readonly coarseClassNames: readonly string[];
}

export interface CifarLoadOptions extends CommonLoadOptions {
  /** CIFAR-100 only: which labels become `labels` (default 'fine'). */
  labels?: 'fine' | 'coarse';
}

/**
 * Load CIFAR-10 or CIFAR-100 in the official binary format from --data-dir, $DP_DATA_DIR or the cache
 * (downloading and extracting the official archive into the cache when allowed). Pixels become NHWC uint8 in
 * shared memory; both splits are normalised with the training set's per-channel statistics.
 */
export async function loadCifar(spec: CifarSpec, opts: CifarLoadOptions = {}): Promise<DatasetPair> {
  const labelSet = opts.labels ?? 'fine';
  if (labelSet !== 'fine' && labelSet !== 'coarse')
    throw new DataError(`labels = '${String(labelSet)}' is invalid`, "use 'fine' or 'coarse' (CIFAR-100 only)");
  const dirs = searchDirs(spec.folders, [], opts);
  let dir = locateCifar(spec, opts);
  const where = opts.dataDir ? join(opts.dataDir, spec.folders[0]!) : join(cacheDir(opts.env), spec.folders[0]!);
  const fix = `put ${requiredFiles(spec).join(', ')} in ${where} (extract ${spec.remote.archive} from ${spec.remote.url} there)`;
  if (!dir && (opts.dataDir || opts.download === false)) {
    throw new DataError(`${spec.name} binary files not found: ${missingReport(spec, dirs)}`, fix);
  }
  if (!dir) {
    try {
      dir = await fetchOfficial(spec, opts);
    } catch (e) {
      throw new DataError(
        `${spec.name} not found locally (${missingReport(spec, dirs)}) and the download failed: ${errorProblem(e)}`,
        fix,
      );
    }
  }
  const names = spec.fields.map((f) => readClassNames(join(dir!, f.namesFile), f.numClasses));
  const train = readSplit(spec, dir, spec.train, 'train', opts);
  const test = readSplit(spec, dir, spec.test, 'test', opts);
  const stats = channelStats(train.images, 3);
  const make = (s: typeof train, split: string): ImageDataset => {
    const base = { split, size: s.size, shape: [SIDE, SIDE, 3] as const, images: s.images, ...stats };
    if (spec.fields.length === 1)
      return {
        ...base,
        name: spec.name,
        labels: s.labels[0]!,
        numClasses: spec.fields[0]!.numClasses,
        classNames: names[0]!,
      };
    const coarse = labelSet === 'coarse';
    const d: Cifar100Dataset = {
      ...base,
      name: coarse ? `${spec.name}-coarse` : spec.name,
      labels: coarse ? s.labels[0]! : s.labels[1]!,
      numClasses: coarse ? 20 : 100,
      classNames: coarse ? names[0]! : names[1]!,
      coarseLabels: s.labels[0]!,
      fineLabels: s.labels[1]!,
      coarseClassNames: names[0]!,
      fineClassNames: names[1]!,
    };
    return d;
  };
  return { train: make(train, 'train'), test: make(test, 'test'), source: dir };
}
