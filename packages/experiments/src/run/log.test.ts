import fc from 'fast-check';
import type { EpochReport } from '@dp/trainer';
import { describe, expect, it } from 'vitest';
import { compactLog, writeEpochScalars, type LogRecord } from './log.js';

const report = (epoch: number, extra: Partial<EpochReport> = {}): EpochReport => ({
  epoch,
  selectionHash: `h${epoch}`,
  samples: 10,
  steps: 1,
  lr: 0.1,
  trainLoss: 1 / (epoch + 1),
  trainAccuracy: 0.5,
  costs: { train: 1, data: 0, select: 0, score: 0, eval: 0 },
  trainingSeconds: 1,
  ...extra,
});
const line = (r: LogRecord) => `${JSON.stringify(r)}\n`;
const epochLine = (epoch: number, extra: Record<string, unknown> = {}) =>
  line({ time: `t${epoch}`, type: 'epoch', ...report(epoch), ...extra });
const parse = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogRecord);

describe('compactLog', () => {
  it('drops the epochs after the checkpoint that an interrupted run logged (they are trained again)', () => {
    const text =
      line({ type: 'start' }) +
      [0, 1, 2, 3].map((e) => epochLine(e)).join('') +
      line({ type: 'interrupted', epoch: 4 });
    const out = parse(compactLog(text, 1, [report(0), report(1)]));
    expect(out.map((r) => [r.type, r.epoch])).toEqual([
      ['start', undefined],
      ['epoch', 0],
      ['epoch', 1],
      ['interrupted', 4],
    ]);
    // Kept records are unchanged, times included.
    expect(out[1]).toEqual(JSON.parse(epochLine(0)));
  });

  it("restores the checkpoint's last epoch when the kill came between the checkpoint and its log line", () => {
    const text = line({ type: 'start' }) + epochLine(0) + epochLine(1);
    const out = parse(compactLog(text, 2, [report(0), report(1), report(2, { trainLoss: 0.123 })]));
    expect(out.map((r) => r.epoch)).toEqual([undefined, 0, 1, 2]);
    expect(out[3]).toEqual({ type: 'epoch', restored: true, ...report(2, { trainLoss: 0.123 }) });
  });

  it('repairs a log written before this fix: duplicates keep their last record, gaps are filled in epoch order', () => {
    const text =
      line({ type: 'start' }) +
      epochLine(0) +
      epochLine(2, { time: 'old' }) + // void: trained again after the resume below
      line({ type: 'resume', fromEpoch: 1 }) +
      epochLine(2, { time: 'new' }) + // epoch 1 missing before it
      epochLine(3) +
      '{"type":"epo'; // a line cut short by the kill
    const out = parse(
      compactLog(
        text,
        3,
        [0, 1, 2, 3].map((e) => report(e)),
      ),
    );
    expect(out.map((r) => [r.type, r.epoch, r.time])).toEqual([
      ['start', undefined, undefined],
      ['epoch', 0, 't0'],
      ['resume', undefined, undefined],
      ['epoch', 1, undefined],
      ['epoch', 2, 'new'],
      ['epoch', 3, 't3'],
    ]);
  });

  it('puts an epoch restored after the last logged one right after it, before later records', () => {
    const text = line({ type: 'start' }) + epochLine(0) + line({ type: 'interrupted', epoch: 2 });
    expect(parse(compactLog(text, 1, [report(0), report(1)])).map((r) => [r.type, r.epoch])).toEqual([
      ['start', undefined],
      ['epoch', 0],
      ['epoch', 1],
      ['interrupted', 2],
    ]);
    // No epoch logged at all: after the start record.
    expect(
      parse(compactLog(line({ type: 'start' }) + line({ type: 'error' }), 0, [report(0)])).map((r) => r.type),
    ).toEqual(['start', 'epoch', 'error']);
  });

  it('drops epoch records without an integer epoch and non-object lines; ignores malformed or repeated reports', () => {
    const text =
      line({ type: 'start' }) +
      epochLine(0) +
      line({ type: 'epoch', epoch: 1.5 }) +
      line({ type: 'epoch' }) +
      '[1,2]\n7\nnull\n';
    const reports = [
      report(0),
      null,
      report(1),
      report(1, { trainLoss: 9 }),
      { epoch: 'x' },
    ] as unknown as EpochReport[];
    const out = parse(compactLog(text, 1, reports));
    expect(out.map((r) => [r.type, r.epoch])).toEqual([
      ['start', undefined],
      ['epoch', 0],
      ['epoch', 1],
    ]);
    expect(out[2]!.trainLoss).toBe(9);
  });

  it('with no checkpoint (the run starts over) keeps no epoch at all', () => {
    const text = line({ type: 'start' }) + epochLine(0) + epochLine(1);
    expect(parse(compactLog(text, -1, []))).toEqual([{ type: 'start' }]);
  });

  it('property: every epoch up to the checkpoint exactly once, none after it, other records in order', () => {
    const entry = fc.oneof(
      fc.record({ type: fc.constant('epoch'), epoch: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ type: fc.constantFrom('start', 'resume', 'interrupted', 'error'), epoch: fc.constant(undefined) }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.integer({ min: -1, max: 12 }), (entries, last) => {
        const text = entries
          .map((e) => line(e.epoch === undefined ? { type: e.type } : { type: 'epoch', ...report(e.epoch) }))
          .join('');
        const reports = Array.from({ length: last + 1 }, (_, e) => report(e));
        const out = parse(compactLog(text, last, reports));
        const epochs = out.filter((r) => r.type === 'epoch').map((r) => r.epoch!);
        expect([...epochs].sort((a, b) => a - b)).toEqual(reports.map((r) => r.epoch));
        expect(out.filter((r) => r.type !== 'epoch')).toEqual(
          entries.filter((e) => e.type !== 'epoch').map((e) => ({ type: e.type })),
        );
        // Idempotent: compacting again changes nothing.
        const again = compactLog(compactLog(text, last, reports), last, reports);
        expect(again).toBe(compactLog(text, last, reports));
      }),
    );
  });
});

describe('writeEpochScalars', () => {
  it('writes the train, cost and (when evaluated) test scalars at step epoch + 1', () => {
    const seen: [string, number, number][] = [];
    const w = { scalar: (n: string, v: number, s: number) => seen.push([n, v, s]), flush: () => {} };
    writeEpochScalars(w, report(0));
    writeEpochScalars(w, report(4, { test: { accuracy: 0.8, loss: 0.5, seconds: 1 } as EpochReport['test'] }));
    expect(seen.filter(([, , s]) => s === 1).map(([n]) => n)).toEqual([
      'train/loss',
      'train/accuracy',
      'train/samples',
      'train/lr',
      'cost/training_seconds',
    ]);
    expect(seen.filter(([, , s]) => s === 5).map(([n]) => n)).toContain('test/accuracy');
    expect(seen.find(([n, , s]) => n === 'test/accuracy' && s === 5)?.[1]).toBe(0.8);
  });
});
