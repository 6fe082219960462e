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
 * own reports are the truth: an epoch the log lacks is restored from them (marked `restored: true`, placed before
 * the later records), an epoch logged twice keeps its last record, and every epoch after `lastEpoch` goes. Records
 * of other types (start, resume, interrupted, error) stay in order; a partial last line (a kill mid-write) is dropped.
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
  // The last record of each epoch up to lastEpoch is the one kept.
  const lastIndex = new Map<number, number>();
  records.forEach((r, i) => {
    if (isEpoch(r) && r.epoch <= lastEpoch) lastIndex.set(r.epoch, i);
  });
  const out: LogRecord[] = [];
  // Epochs missing from the log go where they were trained: before the first record that comes after them in time
  // (an epoch record of a later epoch, or the end of the log).
  const missing = reports.filter((r) => r.epoch <= lastEpoch && !lastIndex.has(r.epoch)).sort((a, b) => a.epoch - b.epoch);
  let m = 0;
  const restore = (before: number) => {
    while (m < missing.length && missing[m]!.epoch < before) out.push({ type: 'epoch', restored: true, ...missing[m++]! });
  };
  records.forEach((r, i) => {
    if (!isEpoch(r)) return out.push(r);
    if (r.epoch > lastEpoch || lastIndex.get(r.epoch) !== i) return;
    restore(r.epoch);
    out.push(r);
  });
  // Restored epochs after the last logged one belong before the records of this resume, i.e. at the end so far.
  restore(Number.POSITIVE_INFINITY);
  return out.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** TensorBoard scalars of one epoch, at step epoch + 1. */
export interface ScalarWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

export function writeEpochScalars(writer: ScalarWriter, r: EpochReport): void {
  const step = r.epoch + 1;
  writer.scalar('train/loss', r.trainLoss, step);
  writer.scalar('train/accuracy', r.trainAccuracy, step);
  writer.scalar('train/samples', r.samples, step);
  writer.scalar('train/lr', r.lr, step);
  writer.scalar('cost/training_seconds', r.trainingSeconds, step);
  if (r.test) {
    writer.scalar('test/accuracy', r.test.accuracy, step);
    writer.scalar('test/loss', r.test.loss, step);
  }
}
