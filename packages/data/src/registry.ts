import type { DatasetPair } from './dataset.js';
import { DataError } from './errors.js';
import { FASHION_MNIST, MNIST, loadIdxDataset, type IdxLoadOptions } from './mnist.js';

export type LoadOptions = IdxLoadOptions;

export interface DatasetEntry {
  name: string;
  summary: string;
  load(opts: LoadOptions): Promise<DatasetPair>;
}

const datasets = new Map<string, DatasetEntry>();

/** Register a dataset loader under a name (the CLI's --dataset). */
export function registerDataset(entry: DatasetEntry): void {
  datasets.set(entry.name, entry);
}

export function datasetNames(): string[] {
  return [...datasets.keys()];
}

/** Load the dataset registered as `name`; an unknown name is a DataError that lists the known ones. */
export function loadDataset(name: string, opts: LoadOptions = {}): Promise<DatasetPair> {
  const entry = datasets.get(name);
  if (!entry) throw new DataError(`unknown dataset '${name}'`, `use one of: ${datasetNames().join(', ')}`);
  return entry.load(opts);
}

registerDataset({ name: 'fashion-mnist', summary: 'Fashion-MNIST, 60k/10k 28x28 grayscale, 10 classes (default)', load: (o) => loadIdxDataset(FASHION_MNIST, o) });
registerDataset({ name: 'mnist', summary: 'MNIST digits, 60k/10k 28x28 grayscale, 10 classes', load: (o) => loadIdxDataset(MNIST, o) });
