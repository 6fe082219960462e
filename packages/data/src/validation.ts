/**
 * A validation split carved from a training set: option choices (a policy's ε, c, window sizes, ...) are made on it,
 * never on the test set. Seeded, stratified and deterministic; works on labels alone (no pixels, no TensorFlow).
 */
import { sampleBytes, type ImageDataset } from './dataset.js';
import { DataError } from './errors.js';
import { BatchRng, deriveSeed, STREAM_VALIDATION } from './rng.js';
import { sharedBytes } from './shared.js';

export interface ValidationSplitOptions {
  /** How errors name the size asked for, e.g. 'valSplit' or '--val-split' (default 'validation size'). */
  field?: string;
  /** How errors name the set being split, e.g. 'fashion-mnist/train' (default 'the training set'). */
  what?: string;
  /** Class names for errors (default: class indices). */
  classNames?: readonly string[];
}

export interface ValidationIndices {
  /** Indices of the validation samples, ascending. */
  validation: Uint32Array;
  /** Indices of the remaining training samples, ascending. validation and train are disjoint and cover every index. */
  train: Uint32Array;
  /** Validation samples of each class (numClasses entries). */
  perClass: Uint32Array;
}

/**
 * The validation sizes `labels` allows: every class present keeps at least one training and one validation sample,
 * so from `classes` (the classes present) to `size - classes`; `single` names a class with one sample only, which
 * makes every size but 0 impossible.
 */
export function validationRange(
  labels: ArrayLike<number>,
  numClasses: number,
): { min: number; max: number; classes: number; single?: number } {
  const counts = classCounts(labels, numClasses);
  let classes = 0;
  let single: number | undefined;
  for (let c = 0; c < numClasses; c++) {
    if (counts[c]! > 0) classes++;
    if (counts[c] === 1) single ??= c;
  }
  return { min: classes, max: labels.length - classes, classes, ...(single !== undefined ? { single } : {}) };
}

/**
 * Split the samples whose labels are `labels` into `n` validation samples and the rest, seeded by `seed`.
 *
 * Stratified: each class gets a share of the `n` proportional to its frequency (largest remainders, ties broken by a
 * seeded class order), so a balanced set gives per-class counts that differ by at most one and an unbalanced set keeps
 * its class proportions in both parts; every class present keeps at least one validation and one training sample
 * (a rare class is raised to one, or a class that would be all validation lowered, with the difference taken from the
 * classes furthest above their share). Within a class the samples are a seeded uniform draw (a partial Fisher-Yates
 * shuffle with its own generator per (seed, class)). The same labels, `n` and `seed` always give the same split;
 * `n = 0` gives no validation samples. Classes with no sample at all are ignored.
 *
 * Throws a DataError (`<problem>; fix: <fix>`) when `n` is not an integer >= 0, is not smaller than the set, or
 * would leave a class with no training or no validation sample; the message names the allowed range.
 */
export function splitValidation(
  labels: ArrayLike<number>,
  numClasses: number,
  n: number,
  seed: number,
  options: ValidationSplitOptions = {},
): ValidationIndices {
  const field = options.field ?? 'validation size';
  const what = options.what ?? 'the training set';
  const value = typeof n === 'string' ? JSON.stringify(n) : String(n);
  const given = field.startsWith('-') ? `${field} ${value}` : `${field} = ${value}`;
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new DataError(
      `numClasses = ${numClasses} is invalid: expected an integer >= 1`,
      "pass the dataset's number of classes",
    );
  const counts = classCounts(labels, numClasses);
  const total = labels.length;
  const range = validationRange(labels, numClasses);
  const { min, max, classes } = range;
  const className = (c: number) =>
    options.classNames?.[c] !== undefined ? `${c} ("${options.classNames[c]}")` : String(c);
  const allowed = range.single !== undefined ? 'only 0' : min === max ? `only ${min}` : `${min} to ${max}`;
  const fix =
    range.single !== undefined
      ? `use a training set with at least two samples of every class (e.g. a larger subset), or ${field} 0 for no validation split`
      : `use ${field} ${min === max ? min : `from ${min} to ${max}`}, or 0 for no validation split`;
  const fail = (problem: string) =>
    new DataError(
      `${given} ${problem}: ${what} has ${total} samples in ${classes} classes, so it allows ${allowed} (each class keeps at least one training and one validation sample)`,
      fix,
    );
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw fail('is invalid: expected an integer >= 0 (the number of training samples held out for validation)');
  if (!Number.isInteger(seed))
    throw new DataError(`seed = ${seed} is invalid: expected an integer`, "pass an integer seed (the run's --seed)");
  const perClass = new Uint32Array(numClasses);
  if (n === 0)
    return { validation: new Uint32Array(0), train: Uint32Array.from({ length: total }, (_, i) => i), perClass };
  if (n >= total) throw fail('is not smaller than the set it is carved from (nothing would be left to train on)');
  if (range.single !== undefined)
    throw fail(
      `is impossible: class ${className(range.single)} has a single sample, which cannot be both trained and validated on`,
    );
  if (n < min) throw fail('leaves a class with no validation sample');
  if (n > max) throw fail('leaves a class with no training sample');

  // Per-class sizes: floor of the proportional share, clamped to [1, count - 1], then raised or lowered one at a time
  // by largest remainder (score = total * (share - size), exact in integers), ties by a seeded class order.
  const rng = new BatchRng(deriveSeed(seed, STREAM_VALIDATION, 0));
  const order = Uint32Array.from({ length: numClasses }, (_, i) => i);
  for (let i = numClasses - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rank = new Uint32Array(numClasses);
  for (let i = 0; i < numClasses; i++) rank[order[i]!] = i;
  let sum = 0;
  for (let c = 0; c < numClasses; c++) {
    const k = counts[c]!;
    if (k === 0) continue;
    perClass[c] = Math.min(Math.max(Math.floor((n * k) / total), 1), k - 1);
    sum += perClass[c]!;
  }
  const score = (c: number) => n * counts[c]! - perClass[c]! * total;
  while (sum !== n) {
    const up = sum < n;
    const eligible = [...order].filter(
      (c) => counts[c]! > 0 && (up ? perClass[c]! < counts[c]! - 1 : perClass[c]! > 1),
    );
    if (!eligible.length) throw fail('cannot be met'); // unreachable: min <= n <= max was checked above
    eligible.sort((a, b) => (up ? score(b) - score(a) : score(a) - score(b)) || rank[a]! - rank[b]!);
    for (const c of eligible.slice(0, Math.abs(n - sum))) perClass[c]! += up ? 1 : -1;
    sum += (up ? 1 : -1) * Math.min(eligible.length, Math.abs(n - sum));
  }

  // Within each class, a seeded uniform draw of its size (partial Fisher-Yates over its samples in index order).
  const start = new Uint32Array(numClasses + 1);
  for (let c = 0; c < numClasses; c++) start[c + 1] = start[c]! + counts[c]!;
  const byClass = new Uint32Array(total);
  const fill = start.slice(0, numClasses);
  for (let i = 0; i < total; i++) byClass[fill[labels[i]!]!++] = i;
  const inValidation = new Uint8Array(total);
  for (let c = 0; c < numClasses; c++) {
    const members = byClass.subarray(start[c]!, start[c + 1]!);
    const r = new BatchRng(deriveSeed(seed, STREAM_VALIDATION, 1, c));
    for (let j = 0; j < perClass[c]!; j++) {
      const pick = j + r.int(members.length - j);
      const id = members[pick]!;
      members[pick] = members[j]!;
      members[j] = id;
      inValidation[id] = 1;
    }
  }
  const validation = new Uint32Array(n);
  const train = new Uint32Array(total - n);
  let v = 0;
  let t = 0;
  for (let i = 0; i < total; i++) {
    if (inValidation[i]) validation[v++] = i;
    else train[t++] = i;
  }
  return { validation, train, perClass };
}

/**
 * The samples `ids` of `d`, in that order, as a new dataset named `split`: pixels copied into shared memory (uint8,
 * ready for the batch loader's worker), labels into an array of the same type, and CIFAR-100's `fineLabels` /
 * `coarseLabels` along with them. Class names and the normalisation statistics (`mean` / `std`) are kept as they are.
 */
export function takeSamples<D extends ImageDataset>(d: D, ids: ArrayLike<number>, split: string = d.split): D {
  const n = ids.length;
  const bytes = sampleBytes(d);
  for (let j = 0; j < n; j++) {
    const i = ids[j]!;
    if (!Number.isInteger(i) || i < 0 || i >= d.size)
      throw new DataError(
        `sample id ${i} is outside ${d.name}/${d.split} (${d.size} samples)`,
        `take ids from 0 to ${d.size - 1}`,
      );
  }
  const images = sharedBytes(n * bytes);
  for (let j = 0; j < n; j++) {
    const i = ids[j]!;
    images.set(d.images.subarray(i * bytes, (i + 1) * bytes), j * bytes);
  }
  const take = <A extends Uint8Array | Uint16Array>(all: A): A => {
    const out = new (all.constructor as new (n: number) => A)(n);
    for (let j = 0; j < n; j++) out[j] = all[ids[j]!]!;
    return out;
  };
  const extra = d as unknown as { fineLabels?: Uint8Array; coarseLabels?: Uint8Array };
  return {
    ...d,
    split,
    size: n,
    images,
    labels: take(d.labels),
    ...(extra.fineLabels ? { fineLabels: take(extra.fineLabels) } : {}),
    ...(extra.coarseLabels ? { coarseLabels: take(extra.coarseLabels) } : {}),
  };
}

/**
 * `d` split by splitValidation into the remaining training samples (`train`, split name unchanged) and `n` validation
 * samples (`validation`, split 'validation'), each in index order, with the indices. `n = 0` returns `d` itself as
 * `train` and an empty `validation`.
 */
export function validationSplit<D extends ImageDataset>(
  d: D,
  n: number,
  seed: number,
  options: Pick<ValidationSplitOptions, 'field' | 'what'> = {},
): { train: D; validation: D; indices: ValidationIndices } {
  const indices = splitValidation(d.labels, d.numClasses, n, seed, {
    what: `${d.name}/${d.split}`,
    classNames: d.classNames,
    ...options,
  });
  return {
    train: n === 0 ? d : takeSamples(d, indices.train),
    validation: takeSamples(d, indices.validation, 'validation'),
    indices,
  };
}

function classCounts(labels: ArrayLike<number>, numClasses: number): Uint32Array {
  const counts = new Uint32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < numClasses && Number.isInteger(l)))
      throw new DataError(
        `label ${l} of sample ${i} is outside [0, ${numClasses})`,
        `pass labels from 0 to ${numClasses - 1}, or the right numClasses`,
      );
    counts[l]!++;
  }
  return counts;
}
