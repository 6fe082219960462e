import { join } from 'node:path';
import { channelStats, type DatasetPair, type ImageDataset } from './dataset.js';
import { downloadFile, type RemoteFile } from './download.js';
import { DataError, errorProblem } from './errors.js';
import { readIdx } from './idx.js';
import { cacheDir, candidateDirs, findDirWith, resolveFile, type LocateOptions } from './locate.js';
import type { CommonLoadOptions } from './options.js';

const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

interface IdxSpec {
  name: string;
  folder: string;
  systemPaths: string[];
  classNames: string[];
  remote: { base: string[]; md5: Record<(typeof FILES)[number], string> };
  installHint: string;
}

export const FASHION_MNIST: IdxSpec = {
  name: 'fashion-mnist',
  folder: 'fashion-mnist',
  systemPaths: ['/usr/share/datasets/fashion-mnist'],
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  remote: {
    base: [
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
    ],
    md5: {
      'train-images-idx3-ubyte': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      'train-labels-idx1-ubyte': '25c81989df183df01b3e8a0aad5dffbe',
      't10k-images-idx3-ubyte': 'bef4ecab320f06d8554ea6380940ec79',
      't10k-labels-idx1-ubyte': 'bb300cfdad3c16e7a12a480ee83cd310',
    },
  },
  installHint: 'on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist',
};

export const MNIST: IdxSpec = {
  name: 'mnist',
  folder: 'mnist',
  systemPaths: ['/usr/share/datasets/mnist'],
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  remote: {
    base: ['https://ossci-datasets.s3.amazonaws.com/mnist/'],
    md5: {
      'train-images-idx3-ubyte': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte': 'd53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte': '9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte': 'ec29112dd5afa0611ce80d1b7f02629c',
    },
  },
  installHint: 'download the four IDX files from the MNIST site',
};

/** The options every loader takes: `download`, `onDownloadProgress`, and `onProgress` with 'download' and 'read' phases. */
export type IdxLoadOptions = CommonLoadOptions;

/** Directory holding the four IDX files of `spec`, or undefined. */
export function locateIdx(spec: IdxSpec, opts: LocateOptions = {}): string | undefined {
  return findDirWith(candidateDirs(spec.folder, spec.systemPaths, opts), FILES);
}

/** Load an MNIST-format dataset (Fashion-MNIST, MNIST) from the first place that has it, downloading if allowed. */
export async function loadIdxDataset(spec: IdxSpec, opts: IdxLoadOptions = {}): Promise<DatasetPair> {
  let dir = locateIdx(spec, opts);
  if (!dir && opts.dataDir) {
    throw new DataError(
      `--data-dir ${opts.dataDir}: no ${spec.name} IDX files there (looked for ${FILES.map((f) => `${f}[.gz]`).join(', ')} in ${opts.dataDir} and ${join(opts.dataDir, spec.folder)})`,
      `put the four files in ${join(opts.dataDir, spec.folder)}, or drop --data-dir to use the system copy (${spec.installHint})`,
    );
  }
  if (!dir) {
    const dest = join(cacheDir(opts.env), spec.folder);
    const searched = candidateDirs(spec.folder, spec.systemPaths, opts);
    if (opts.download === false) {
      throw new DataError(
        `${spec.name} not found (searched ${searched.join(', ')})`,
        `${spec.installHint}, or put ${FILES.map((f) => `${f}.gz`).join(', ')} in ${dest}`,
      );
    }
    try {
      for (const f of FILES) {
        const remote: RemoteFile = {
          name: `${f}.gz`,
          urls: spec.remote.base.map((b) => `${b}${f}.gz`),
          md5: spec.remote.md5[f],
        };
        await downloadFile(remote, join(dest, `${f}.gz`), (r, t) => {
          opts.onDownloadProgress?.(`${f}.gz`, r, t);
          opts.onProgress?.({ phase: 'download', file: `${f}.gz`, done: r, total: t });
        });
      }
    } catch (e) {
      throw new DataError(
        `${spec.name} not found locally (searched ${searched.join(', ')}) and the download failed: ${errorProblem(e)}`,
        `${spec.installHint}, or put ${FILES.map((f) => `${f}.gz`).join(', ')} in ${dest}`,
      );
    }
    dir = dest;
  }
  const train = split(spec, dir, 'train', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', opts);
  const test = split(spec, dir, 'test', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', opts);
  // Both splits are normalised with the training set's statistics.
  const stats = channelStats(train.images, 1);
  return { train: { ...train, ...stats }, test: { ...test, ...stats }, source: dir };
}

function split(
  spec: IdxSpec,
  dir: string,
  name: string,
  imagesFile: string,
  labelsFile: string,
  opts: IdxLoadOptions,
): Omit<ImageDataset, 'mean' | 'std'> {
  const imgPath = resolveFile(dir, imagesFile);
  const lblPath = resolveFile(dir, labelsFile);
  const images = readIdx(imgPath);
  opts.onProgress?.({ phase: 'read', split: name, file: imgPath, done: 1, total: 2 });
  const labels = readIdx(lblPath);
  opts.onProgress?.({ phase: 'read', split: name, file: lblPath, done: 2, total: 2 });
  if (images.dims.length !== 3)
    throw new DataError(
      `${imgPath}: expected 3 dims (N, rows, cols), header has ${images.dims.length}`,
      'check that the images and labels files are not swapped',
    );
  if (labels.dims.length !== 1)
    throw new DataError(
      `${lblPath}: expected 1 dim (N), header has ${labels.dims.length}`,
      'check that the images and labels files are not swapped',
    );
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n)
    throw new DataError(
      `${name} split: ${n} images in ${imgPath} but ${labels.dims[0]} labels in ${lblPath}`,
      'the files come from different releases; download both again',
    );
  const numClasses = spec.classNames.length;
  for (let i = 0; i < n; i++) {
    if (labels.data[i]! >= numClasses)
      throw new DataError(
        `${lblPath}: label ${labels.data[i]} of sample ${i} is out of range [0, ${numClasses - 1}]`,
        'the file is corrupt; download it again',
      );
  }
  return {
    name: spec.name,
    split: name,
    size: n,
    shape: [h, w, 1],
    images: images.data,
    labels: labels.data,
    numClasses,
    classNames: spec.classNames,
  };
}
