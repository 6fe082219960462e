import { ScoreError, checkInt, invalid } from './errors.js';
import { argMax, crossEntropy } from './softmax.js';
import type { ResolvedBatch, ScoreBatch, ScoreInput } from './types.js';

/** Largest supported number of classes (logits rows are scanned whole). */
export const MAX_CLASSES = 1 << 20;
/**
 * Largest accepted magnitude of any input number. Far beyond any real loss or logit (a run there has diverged),
 * and small enough that squares and EMAs of it stay finite in float32.
 */
export const MAX_MAGNITUDE = 1e15;

function arrayLike(field: string, value: unknown, n: number, what: string): ArrayLike<number> {
  if (value == null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number') {
    throw invalid(field, value, what, `pass ${what}`);
  }
  const a = value as ArrayLike<number>;
  if (a.length !== n) {
    throw new ScoreError(
      `${field} has length ${a.length} but the batch has ${n} rows (ids.length)`,
      `pass one ${field.replace('batch.', '')} entry per id`,
      field,
    );
  }
  return a;
}

function checkFinite(field: string, a: ArrayLike<number>, min = -MAX_MAGNITUDE): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!(v >= min && v <= MAX_MAGNITUDE)) {
      const allowed = `a finite number in [${min === -MAX_MAGNITUDE ? '-1e15' : min}, 1e15]`;
      throw new ScoreError(
        `${field}[${i}] = ${String(v)} is invalid: expected ${allowed}`,
        Number.isFinite(v)
          ? `pass ${allowed}`
          : 'the training step diverged or the tensor was read wrongly: check the learning rate and the data',
        field,
      );
    }
  }
}

function missing(score: string, input: string, how: string): ScoreError {
  return new ScoreError(`score '${score}' needs batch.${input}, which is missing`, how, `batch.${input}`);
}

/**
 * Validate `batch` for a score needing `inputs` over a dataset of `datasetSize` samples and derive what can be
 * derived (losses and correct from logits + labels; batchLoss from losses). Throws one ScoreError naming the
 * first problem. Pure: reads the batch, allocates only derived arrays.
 */
export function resolveBatch(
  batch: ScoreBatch,
  inputs: readonly ScoreInput[],
  datasetSize: number,
  score: string,
): ResolvedBatch {
  if (batch === null || typeof batch !== 'object') throw invalid('batch', batch, 'an object { ids, ... }');
  const ids = batch.ids;
  if (ids == null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw invalid('batch.ids', ids, 'a Uint32Array of sample ids');
  }
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= datasetSize) {
      throw new ScoreError(
        `batch.ids[${i}] = ${String(id)} is invalid: expected an integer in [0, ${datasetSize - 1}]`,
        `ids index the training set the tracker was created for (datasetSize ${datasetSize})`,
        'batch.ids',
      );
    }
  }
  const need = new Set(inputs);
  const canDerive = batch.logits != null && batch.labels != null;
  // Labels are read when the score declares them or when an input is derived from logits + labels: a score that
  // declares only 'logits' (a logits-only score) gets no labels and needs none.
  const derives =
    (need.has('losses') && batch.losses == null && canDerive) ||
    (need.has('correct') && batch.correct == null && canDerive) ||
    (need.has('batchLoss') && batch.batchLoss == null && batch.losses == null && canDerive);
  const wantLogits = need.has('logits') || derives;
  const wantLabels = need.has('labels') || derives;
  const out: { -readonly [K in keyof ResolvedBatch]: ResolvedBatch[K] } = { n, ids, numClasses: 0 };
  if (batch.epoch !== undefined) out.epoch = checkInt('batch.epoch', batch.epoch, 0);

  if (wantLogits) {
    if (batch.logits == null)
      throw missing(
        score,
        'logits',
        "pass the training step's logits (row-major Float32Array, ids.length x numClasses) and numClasses",
      );
    if (batch.numClasses == null) throw missing(score, 'numClasses', 'pass numClasses with the logits');
    const k = checkInt('batch.numClasses', batch.numClasses, 2, MAX_CLASSES);
    const logits = arrayLike('batch.logits', batch.logits, batch.logits.length, 'a Float32Array of logits');
    if (logits.length !== n * k) {
      throw new ScoreError(
        `batch.logits has length ${logits.length} but ids.length x numClasses = ${n} x ${k} = ${n * k}`,
        'pass row-major logits of shape [ids.length, numClasses] (one row per id)',
        'batch.logits',
      );
    }
    checkFinite('batch.logits', logits);
    out.numClasses = k;
    out.logits = logits;
  } else if (batch.numClasses != null) {
    out.numClasses = checkInt('batch.numClasses', batch.numClasses, 2, MAX_CLASSES);
  }
  if (wantLabels) {
    if (batch.labels == null)
      throw missing(score, 'labels', 'pass the integer class labels of the batch (Int32Array, one per id)');
    const labels = arrayLike('batch.labels', batch.labels, n, 'an Int32Array of class labels');
    const k = out.numClasses;
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      if (!Number.isInteger(y) || y < 0 || (k > 0 && y >= k)) {
        const allowed = k > 0 ? `an integer in [0, ${k - 1}]` : 'an integer >= 0';
        throw new ScoreError(
          `batch.labels[${i}] = ${String(y)} is invalid: expected ${allowed}`,
          'labels are class indices in [0, numClasses): check the dataset and numClasses',
          'batch.labels',
        );
      }
    }
    out.labels = labels;
  }
  if (need.has('losses') || (need.has('batchLoss') && batch.batchLoss == null)) {
    if (batch.losses != null) {
      const losses = arrayLike('batch.losses', batch.losses, n, 'a Float32Array of per-sample losses');
      checkFinite('batch.losses', losses);
      out.losses = losses;
    } else if (out.logits && out.labels) {
      const losses = new Float32Array(n);
      for (let i = 0; i < n; i++) losses[i] = crossEntropy(out.logits, i, out.numClasses, out.labels[i]!);
      out.losses = losses;
    } else if (need.has('losses')) {
      throw missing(
        score,
        'losses',
        'pass the per-sample losses of the training step (or logits + labels + numClasses to derive them)',
      );
    }
  }
  if (need.has('batchLoss')) {
    if (batch.batchLoss != null) {
      if (typeof batch.batchLoss !== 'number' || !(Math.abs(batch.batchLoss) <= MAX_MAGNITUDE)) {
        throw new ScoreError(
          `batch.batchLoss = ${String(batch.batchLoss)} is invalid: expected a finite number in [-1e15, 1e15]`,
          'the training step diverged: check the learning rate and the data',
          'batch.batchLoss',
        );
      }
      out.batchLoss = batch.batchLoss;
    } else if (out.losses) {
      let s = 0;
      for (let i = 0; i < n; i++) s += out.losses[i]!;
      out.batchLoss = n > 0 ? s / n : 0;
    } else {
      throw missing(score, 'batchLoss', "pass the batch's mean loss (what model.fit reports), or per-sample losses");
    }
  }
  if (need.has('correct')) {
    if (batch.correct != null) {
      const correct = arrayLike('batch.correct', batch.correct, n, 'a Uint8Array of 0/1 flags');
      for (let i = 0; i < n; i++) {
        const c = correct[i]!;
        if (c !== 0 && c !== 1)
          throw new ScoreError(
            `batch.correct[${i}] = ${String(c)} is invalid: expected 0 or 1`,
            'pass 1 where argmax(logits) equals the label, else 0',
            'batch.correct',
          );
      }
      out.correct = correct;
    } else if (out.logits && out.labels) {
      const correct = new Uint8Array(n);
      for (let i = 0; i < n; i++) correct[i] = argMax(out.logits, i, out.numClasses) === out.labels[i] ? 1 : 0;
      out.correct = correct;
    } else {
      throw missing(score, 'correct', 'pass per-sample 0/1 correctness (or logits + labels + numClasses to derive it)');
    }
  }
  for (const key of ['gradNorms', 'featureSqNorms'] as const) {
    if (!need.has(key)) continue;
    const v = batch[key];
    if (v == null) {
      throw missing(
        score,
        key,
        key === 'gradNorms'
          ? 'compute them with perSampleGradNorms(model, x, labels) from @dp/scores/tfjs'
          : 'compute them with lastLayerInputs / featureSqNorms from @dp/scores/tfjs',
      );
    }
    const a = arrayLike(`batch.${key}`, v, n, `a Float32Array of per-sample ${key}`);
    checkFinite(`batch.${key}`, a, 0);
    out[key] = a;
  }
  return out;
}
