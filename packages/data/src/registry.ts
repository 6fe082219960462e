import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CIFAR10, CIFAR100, loadCifar, type CifarLoadOptions } from './cifar.js';
import type { DatasetPair } from './dataset.js';
import { Registry } from '@dp/internal/registry';
import { DataError } from './errors.js';
import type { ImageDecoder } from './folder-decode.js';
import { loadCifar10Jpeg, loadImageFolder, type ImageFolderLoadOptions } from './folder.js';
import { FASHION_MNIST, MNIST, loadIdxDataset, type IdxLoadOptions } from './mnist.js';

/** Options of `loadDataset`: each loader reads the ones that apply to it. */
export type LoadOptions = IdxLoadOptions & CifarLoadOptions & ImageFolderLoadOptions;

export interface DatasetEntry {
  name: string;
  summary: string;
  load(opts: LoadOptions): Promise<DatasetPair>;
}

const datasets = new Registry<DatasetEntry>('dataset', 'unregisterDataset', (r) => new DataError(r.problem, r.fix, r));

/**
 * Register a dataset loader under a name (the CLI's --dataset). Registering the very same entry again is a no-op; a
 * different entry under a taken name is a DataError (unregisterDataset(name) first to replace one on purpose).
 */
export function registerDataset(entry: DatasetEntry): void {
  datasets.register(entry);
}

/** Remove the dataset registered as `name` (a built-in too); whether there was one. */
export function unregisterDataset(name: string): boolean {
  return datasets.unregister(name);
}

export function datasetNames(): string[] {
  return datasets.names();
}

/** Load the dataset registered as `name`; an unknown name is a DataError that lists the known ones. */
export function loadDataset(name: string, opts: LoadOptions = {}): Promise<DatasetPair> {
  const entry = datasets.get(name);
  if (!entry) throw new DataError(`unknown dataset '${name}'`, `use one of: ${datasetNames().join(', ')}`);
  return entry.load(opts);
}

/**
 * The injected decoder, else tfjs-node's from the `image-folder` entry (imported on first use, so the core never
 * imports TensorFlow), which decode worker threads import too.
 */
async function withDecoder(opts: LoadOptions): Promise<LoadOptions> {
  if (opts.decodeImage) return opts;
  try {
    const mod: { decodeImage: ImageDecoder } = await import('./image-folder.js');
    // Decode workers import the built entry (when running from source there is none: decode on this thread).
    const entry = new URL('./image-folder.js', import.meta.url);
    const decodeModule = opts.decodeModule ?? (existsSync(fileURLToPath(entry)) ? entry : undefined);
    return { ...opts, decodeImage: mod.decodeImage, ...(decodeModule ? { decodeModule } : {}) };
  } catch (e) {
    throw new DataError(
      `image folders need @tensorflow/tfjs-node to decode JPEG/PNG, and it could not be loaded (${(e as Error).message.split('\n')[0]})`,
      'npm install --ignore-scripts @tensorflow/tfjs-node and build its native backend with `npx dp-setup-backend` (package @dp/setup-backend; `npx dp setup-backend` with the dp CLI, `npm run setup` in the dp repository), or pass decodeImage',
    );
  }
}

registerDataset({
  name: 'fashion-mnist',
  summary: 'Fashion-MNIST, 60k/10k 28x28 grayscale, 10 classes (default)',
  load: (o) => loadIdxDataset(FASHION_MNIST, o),
});
registerDataset({
  name: 'mnist',
  summary: 'MNIST digits, 60k/10k 28x28 grayscale, 10 classes',
  load: (o) => loadIdxDataset(MNIST, o),
});
registerDataset({
  name: 'cifar10',
  summary: 'CIFAR-10 (official binary), 50k/10k 32x32 RGB, 10 classes',
  load: (o) => loadCifar(CIFAR10, o),
});
registerDataset({
  name: 'cifar100',
  summary: 'CIFAR-100 (official binary), 50k/10k 32x32 RGB, 100 fine classes',
  load: (o) => loadCifar(CIFAR100, o),
});
registerDataset({
  name: 'cifar100-coarse',
  summary: 'CIFAR-100 (official binary) with its 20 coarse superclasses',
  load: (o) => loadCifar(CIFAR100, { ...o, labels: 'coarse' }),
});
registerDataset({
  name: 'cifar10-jpeg',
  summary: 'CIFAR-10 as a JPEG image folder {train,test}/<class>/*.jpg (decoded once, then cached)',
  load: async (o) => loadCifar10Jpeg(await withDecoder(o)),
});
registerDataset({
  name: 'imagefolder',
  summary: 'ImageNet-layout folder at --data-dir: {train,val}/<class>/*.{jpg,png} (decoded once, then cached)',
  load: async (o) => loadImageFolder(await withDecoder(o)),
});
