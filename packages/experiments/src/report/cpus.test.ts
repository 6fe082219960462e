import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/summary.js';
import { cpuCounts, cpuNote } from './cpus.js';

const run = (cpus?: string[]) => ({ cpus }) as unknown as RunSummary;
const A = 'AMD EPYC · 2 cores · avx2 fma · oneDNN on (TF_ENABLE_ONEDNN_OPTS=1)';
const B = 'Intel(R) Xeon(R) · 2 cores · avx2 fma avx512f · oneDNN on (TF_ENABLE_ONEDNN_OPTS=1)';

describe('cpuNote', () => {
  it('says nothing when every run names the same CPU', () => {
    expect(cpuNote([run([A]), run([A])])).toBeUndefined();
  });
  it('names each CPU with its run count, a resumed run counting for each host', () => {
    expect(cpuCounts([run([A]), run([A, B]), run()])).toEqual(
      new Map([
        [A, 2],
        [B, 1],
        ['unknown (recorded before 2026-12-06)', 1],
      ]),
    );
    const note = cpuNote([run([A]), run([B])])!;
    expect(note).toContain('2 different CPUs');
    expect(note).toContain(`${A}: 1 run;`);
    expect(note).toContain(`${B}: 1 run)`);
  });
});
