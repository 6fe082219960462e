import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadBackend, type BackendInfo } from './backend.js';
import { validateRunConfig } from './config/config.js';
import { collectRuns } from './report/collect.js';
import { comparisonTable, summarize } from './report/summarize.js';
import { executeRun } from './run/run.js';
import type { RunSummary } from './run/summary.js';
import { planSweep } from './sweep/plan.js';
import { runSweep, sweepStatus } from './sweep/run-sweep.js';

/**
 * The experiment layer used as a library, without the CLI: a tiny real Fashion-MNIST run, the same run stopped after
 * its first epoch and resumed (the same selections), a finished run resumed (nothing to do), a sweep with a results
 * file (resumable: a second call has nothing left), and a summary of that file. The library prints nothing.
 */
describe('@dp/experiments from TypeScript', () => {
  const cfg = validateRunConfig({
    trainSubset: 600,
    testSubset: 200,
    epochs: 2,
    policy: 'random',
    pruneRatio: 0.5,
    seed: 2,
  });
  const root = mkdtempSync(join(tmpdir(), 'dp-experiments-'));
  let backend: BackendInfo;
  let writes: ReturnType<typeof vi.spyOn>[] = [];

  beforeEach(async () => {
    backend ??= await loadBackend();
    writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  });
  afterEach(() => {
    for (const w of writes) {
      expect(w, 'the library printed').not.toHaveBeenCalled();
      w.mockRestore();
    }
  });

  const hashes = (s: RunSummary) => s.epochs.map((e) => e.selectionHash);
  let whole: RunSummary;

  it('runs, reporting every epoch to its callbacks', async () => {
    const epochs: number[] = [];
    whole = await executeRun(cfg, {
      runDir: join(root, 'whole'),
      resume: false,
      backend,
      callbacks: { onEpoch: (r) => epochs.push(r.epoch) },
    });
    expect(epochs).toEqual([0, 1]);
    expect(whole.samplesTrained).toBe(600);
    expect(whole.finalAccuracy).toBeGreaterThan(0.2);
    expect(JSON.parse(readFileSync(join(root, 'whole', 'result.json'), 'utf8'))).toEqual(whole);
  });

  it('resumes a run stopped after its first epoch with the same selections, and a finished run as it is', async () => {
    const runDir = join(root, 'stopped');
    const stop = new Error('stopped by the caller');
    const onEpoch = () => {
      throw stop;
    };
    await expect(executeRun(cfg, { runDir, resume: false, backend, callbacks: { onEpoch } })).rejects.toBe(stop);
    const resumed = await executeRun(cfg, { runDir, resume: true, backend });
    expect(hashes(resumed)).toEqual(hashes(whole));
    const logged = readFileSync(join(runDir, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch?: number; sampler?: number });
    expect(logged.filter((r) => r.type === 'epoch').map((r) => r.epoch)).toEqual([0, 1]);
    // The start and resume records name the pruner's selection-algorithm version (a new run's: the latest).
    expect(logged.filter((r) => r.type === 'start' || r.type === 'resume').map((r) => r.sampler)).toEqual([3, 3]);
    let again: boolean | undefined;
    const done = await executeRun(cfg, {
      runDir,
      resume: true,
      backend,
      callbacks: { onFinish: (_s, i) => (again = i.alreadyFinished) },
    });
    expect(again).toBe(true);
    expect(done).toEqual(resumed);
  });

  it('sweeps into a results file that a second call finds done, and summarises it', async () => {
    const results = join(root, 'sweep.jsonl');
    const runsDir = join(root, 'runs');
    const plan = planSweep(
      { datasets: [cfg.dataset], models: [cfg.model], seeds: [cfg.seed], policies: ['full', 'random'], ratios: [0.5] },
      cfg,
    );
    expect(plan.map((c) => [c.policy, c.pruneRatio])).toEqual([
      ['full', 0],
      ['random', 0.5],
    ]);
    const status = sweepStatus(plan, results, runsDir);
    expect(status.todo).toHaveLength(2);
    const finished: RunSummary[] = [];
    expect(await runSweep(status, { backend, callbacks: { onRunDone: (p) => finished.push(p.summary) } })).toEqual({
      skipped: 0,
    });
    expect(finished).toHaveLength(2);
    // The sweep's random run is the run trained above: the same config, the same selections.
    expect(hashes(finished[1]!)).toEqual(hashes(whole));
    const again = sweepStatus(plan, results, runsDir);
    expect(again.todo).toHaveLength(0);
    expect(again.etaSeconds).toBe(0);
    const runs = collectRuns([results]);
    const [full, random] = summarize(runs);
    expect(full!.label).toBe('full data');
    expect(random!.label).toBe('random @ 0.5');
    expect(random!.speedup).toBeGreaterThan(0);
    expect(comparisonTable(runs)).toMatch(/\| random @ 0\.5 /);
  });
});
