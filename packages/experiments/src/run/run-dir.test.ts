import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logSegments, runCpus, runTrainSteps } from './run-dir.js';

/** A run directory whose log.jsonl holds `records` (one JSON line each) and then `tail` verbatim. */
function runDir(records: object[], tail = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'dp-run-dir-'));
  writeFileSync(join(dir, 'log.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join('') + tail);
  return dir;
}
const epoch = (n: number) => ({ type: 'epoch', epoch: n });
const cpu = (name: string) => ({ environment: { cpu: name } });

describe('run directory: what the start and resume records of log.jsonl say', () => {
  it('logSegments: each start / resume record with the epochs logged after it; a partial last line skipped', () => {
    const dir = runDir(
      [{ type: 'start' }, epoch(0), epoch(1), { type: 'interrupted' }, { type: 'resume' }, epoch(2)],
      '{"type":"ep',
    );
    expect(logSegments(dir).map((s) => [s.start.type, s.epochs])).toEqual([
      ['start', 2],
      ['resume', 1],
    ]);
    expect(logSegments(join(dir, 'missing'))).toEqual([]);
  });

  it('runCpus: the distinct CPUs in order of first use, records without one left out', () => {
    const dir = runDir([
      { type: 'start', ...cpu('A') },
      epoch(0),
      { type: 'resume' },
      { type: 'resume', ...cpu('B') },
      { type: 'resume', ...cpu('A') },
    ]);
    expect(runCpus(dir)).toEqual(['A', 'B']);
  });

  it("runTrainSteps: the steps in order of first use; epochs trained before the step was recorded are 'unknown'", () => {
    // An older run (no trainStep in its start record) resumed with the compiled step: both, not just the later one.
    const resumed = runDir([
      { type: 'start' },
      epoch(0),
      { type: 'resume', trainStep: { kind: 'compiled' } },
      epoch(1),
      { type: 'resume', trainStep: { kind: 'compiled' } },
    ]);
    expect(runTrainSteps(resumed)).toEqual(['unknown', 'compiled']);
    // Wholly older: unknown, not dropped.
    expect(runTrainSteps(runDir([{ type: 'start' }, epoch(0), epoch(1)]))).toEqual(['unknown']);
    // A record without a step that trained nothing (stopped before the trainer chose) counts for nothing.
    const stoppedFirst = runDir([
      { type: 'start' },
      { type: 'interrupted' },
      { type: 'resume', trainStep: { kind: 'eager' } },
      epoch(0),
    ]);
    expect(runTrainSteps(stoppedFirst)).toEqual(['eager']);
  });
});
