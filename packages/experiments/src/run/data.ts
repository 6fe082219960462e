import {
  loadDataset,
  splitValidation,
  validationSplit,
  type Cifar100Dataset,
  type DatasetPair,
  type ImageDataset,
  type CommonLoadOptions,
} from '@dp/data';
import { ExperimentError } from '../errors.js';
import type { RunConfig } from '../config/config.js';

/** Progress and warnings of loading a dataset (downloads, the first decode of an image folder): the caller shows them. */
export interface LoadCallbacks {
  onProgress?: CommonLoadOptions['onProgress'];
  onWarning?: (message: string) => void;
}

/** loadDataset, image folders resized / cropped as the run config asks; progress and warnings go to the callbacks. */
export async function loadData(
  name: string,
  dataDir: string | undefined,
  size: { resize?: number; crop?: number } = {},
  callbacks: LoadCallbacks = {},
): Promise<DatasetPair> {
  return loadDataset(name, {
    dataDir,
    ...(size.resize ? { resize: size.resize } : {}),
    ...(size.crop ? { crop: size.crop } : {}),
    ...(callbacks.onProgress ? { onProgress: callbacks.onProgress } : {}),
    ...(callbacks.onWarning ? { onWarning: callbacks.onWarning } : {}),
  });
}

/** Refuse a subset larger than the split (it would silently be the whole split, while the config records n). */
export function checkSubsetSize(d: ImageDataset, n: number): void {
  if (n > d.size) {
    throw new ExperimentError(
      `a subset of ${n} samples is larger than ${d.name}/${d.split} (${d.size} samples); fix: use at most ${d.size}, or 0 for the whole split`,
    );
  }
}

/**
 * A class-balanced subset of `n` samples (0 or n >= size: the whole split): classes taken round-robin, each in
 * its own loader order — the 1st sample of every class, then the 2nd of every class, ... — so a subset of an image
 * folder (stored class by class) holds every class, and a subset of a mixed split such as Fashion-MNIST holds the
 * first n/C samples of each class. Deterministic; copies the selected pixels and labels (CIFAR-100's `fineLabels` and
 * `coarseLabels` too).
 */
export function subset(d: ImageDataset, n: number): ImageDataset {
  checkSubsetSize(d, n);
  if (!n || n >= d.size) return d;
  const classes = d.numClasses;
  // Per-class sample lists in loader order (counting sort by label).
  const start = new Uint32Array(classes + 1);
  for (let i = 0; i < d.size; i++) start[d.labels[i]! + 1]!++;
  for (let c = 0; c < classes; c++) start[c + 1]! += start[c]!;
  const byClass = new Uint32Array(d.size);
  const fill = start.slice(0, classes);
  for (let i = 0; i < d.size; i++) byClass[fill[d.labels[i]!]!++] = i;
  const pick = new Uint32Array(n);
  let k = 0;
  for (let r = 0; k < n; r++) {
    for (let c = 0; c < classes && k < n; c++) if (start[c]! + r < start[c + 1]!) pick[k++] = byClass[start[c]! + r]!;
  }
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  const images = new Uint8Array(n * bytes);
  for (let j = 0; j < n; j++) {
    const i = pick[j]!;
    images.set(d.images.subarray(i * bytes, (i + 1) * bytes), j * bytes);
  }
  const take = <A extends ImageDataset['labels']>(all: A): A => {
    const out = new (all.constructor as new (n: number) => A)(n);
    for (let j = 0; j < n; j++) out[j] = all[pick[j]!]!;
    return out;
  };
  // A CIFAR-100 split also carries both label sets per sample: they must follow the subset too.
  const { fineLabels, coarseLabels } = d as Partial<Cifar100Dataset>;
  return {
    ...d,
    size: n,
    images,
    labels: take(d.labels),
    ...(fineLabels ? { fineLabels: take(fineLabels) } : {}),
    ...(coarseLabels ? { coarseLabels: take(coarseLabels) } : {}),
  };
}

/** What a run evaluates on: the test set, or the validation split it carved from its training set (--val-split). */
export type EvaluatedOn = 'test' | 'validation';

/** How a validation split's errors name the set it splits, e.g. 'fashion-mnist/train (--train-subset 2000)'. */
function splitWhat(d: ImageDataset, cfg: Pick<RunConfig, 'trainSubset'>): string {
  return `${d.name}/${d.split}${cfg.trainSubset ? ` (--train-subset ${cfg.trainSubset})` : ''}`;
}

/**
 * The sets a run trains and evaluates on: the training subset and the test subset; or, with `valSplit` N > 0, the
 * training subset minus N validation samples (a seeded, stratified split, @dp/data splitValidation, seeded by the
 * run's seed) and those N samples instead of the test set.
 */
export function runSplits(
  pair: DatasetPair,
  cfg: Pick<RunConfig, 'trainSubset' | 'testSubset' | 'valSplit' | 'seed'>,
): { train: ImageDataset; evaluation: ImageDataset; evaluatedOn: EvaluatedOn } {
  const train = subset(pair.train, cfg.trainSubset);
  if (!cfg.valSplit) return { train, evaluation: subset(pair.test, cfg.testSubset), evaluatedOn: 'test' };
  const split = validationSplit(train, cfg.valSplit, cfg.seed, {
    field: '--val-split',
    what: splitWhat(pair.train, cfg),
  });
  return { train: split.train, evaluation: split.validation, evaluatedOn: 'validation' };
}

/** Refuse a validation split the training (sub)set cannot give, before anything else starts (from the labels alone). */
export function checkValSplit(d: ImageDataset, cfg: Pick<RunConfig, 'trainSubset' | 'valSplit' | 'seed'>): void {
  if (!cfg.valSplit) return;
  const train = subset(d, cfg.trainSubset);
  splitValidation(train.labels, train.numClasses, cfg.valSplit, cfg.seed, {
    field: '--val-split',
    what: splitWhat(d, cfg),
    classNames: train.classNames,
  });
}
