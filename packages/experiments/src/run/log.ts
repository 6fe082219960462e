import type { EpochReport } from '@dp/trainer';

/** One line of log.jsonl: a typed record with its time (epoch records carry the trainer's EpochReport fields). */
export interface LogRecord {
  time?: string;
  type?: string;
  epoch?: number;
  [field: string]: unknown;
}

/**
 * log.jsonl as it must read when a run resumes after its checkpoint of `lastEpoch` (−1: no checkpoint, the run
 * starts over): each epoch up to `lastEpoch` exactly once, and none after it.
 *
 * An interrupted run can leave epochs after its checkpoint in the log (they are trained again, so they would appear
 * twice) and, killed between a checkpoint write and its log line, miss the checkpoint's last epoch. The checkpoint's
 * own reports are the truth: an epoch the log lacks is restored from them (marked `restored: true`, placed where it
 * was trained), an epoch logged twice keeps its last record, and every epoch after `lastEpoch` (or without an
 * integer epoch) goes. Records of other types (start, resume, interrupted, error) stay in order; lines that are not
 * JSON objects (a partial last line from a kill mid-write) are dropped.
 */
export function compactLog(text: string, lastEpoch: number, reports: readonly EpochReport[]): string {
  const records: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as unknown;
      if (r !== null && typeof r === 'object' && !Array.isArray(r)) records.push(r as LogRecord);
    } catch {
      // a line cut short by a kill
    }
  }
  const isEpoch = (r: LogRecord): r is LogRecord & { epoch: number } => r.type === 'epoch' && Number.isInteger(r.epoch);
  // The last record of each epoch up to lastEpoch is the one kept; epoch records without an integer epoch go.
  const lastIndex = new Map<number, number>();
  records.forEach((r, i) => {
    if (isEpoch(r) && r.epoch <= lastEpoch) lastIndex.set(r.epoch, i);
  });
  // Epochs missing from the log, from the checkpoint's reports (one per epoch, in order).
  const byEpoch = new Map<number, EpochReport>();
  for (const r of reports) {
    if (
      r !== null &&
      typeof r === 'object' &&
      Number.isInteger(r.epoch) &&
      r.epoch >= 0 &&
      r.epoch <= lastEpoch &&
      !lastIndex.has(r.epoch)
    )
      byEpoch.set(r.epoch, r);
  }
  const missing = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  // Each goes where it was trained: before the first kept record of a later epoch, or, after the last one, right
  // after it (after the first start record when no epoch was kept).
  let anchor = -1;
  for (const i of lastIndex.values()) anchor = Math.max(anchor, i);
  if (anchor < 0) anchor = records.findIndex((r) => r.type === 'start');
  const out: LogRecord[] = [];
  let m = 0;
  const restore = (before: number) => {
    while (m < missing.length && missing[m]!.epoch < before)
      out.push({ type: 'epoch', restored: true, ...missing[m++]! });
  };
  if (anchor < 0) restore(Number.POSITIVE_INFINITY);
  records.forEach((r, i) => {
    if (r.type === 'epoch') {
      if (!isEpoch(r) || r.epoch > lastEpoch || lastIndex.get(r.epoch) !== i) return;
      restore(r.epoch);
    }
    out.push(r);
    if (i === anchor) restore(Number.POSITIVE_INFINITY);
  });
  return out.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** TensorBoard scalars of one epoch, at step epoch + 1. */
export interface ScalarWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

/** `evaluatedOn`: the tag of the evaluation scalars, 'validation' for a run evaluated on a validation split (--val-split). */
export function writeEpochScalars(
  writer: ScalarWriter,
  r: EpochReport,
  evaluatedOn: 'test' | 'validation' = 'test',
): void {
  const step = r.epoch + 1;
  writer.scalar('train/loss', r.trainLoss, step);
  writer.scalar('train/accuracy', r.trainAccuracy, step);
  writer.scalar('train/samples', r.samples, step);
  writer.scalar('train/lr', r.lr, step);
  writer.scalar('cost/training_seconds', r.trainingSeconds, step);
  if (r.test) {
    writer.scalar(`${evaluatedOn}/accuracy`, r.test.accuracy, step);
    writer.scalar(`${evaluatedOn}/loss`, r.test.loss, step);
  }
}
