import { describe, expect, it } from 'vitest';
import { DEFAULTS, fingerprint, validateRunConfig } from '../config/config.js';
import type { RunSummary } from '../run/summary.js';
import { evalSecondsPerPass, groupMachineSpeed, relativeMachineSpeed } from './machine.js';
import { comparisonTable, summarize } from './summarize.js';
import { machineSpeedWarning } from './collect.js';

/** A run of `epochs` epochs, each evaluated, whose passes took `evalPerPass` seconds (a complete, valid summary). */
function run(config: Record<string, unknown>, cost: number, evalPerPass: number, epochs = 4): RunSummary {
  const cfg = validateRunConfig({ epochs, ...config });
  return {
    key: fingerprint(cfg),
    config: { ...DEFAULTS, ...cfg },
    runDir: 'runs/x',
    finalAccuracy: 0.9,
    trainingSeconds: cost,
    scoringSeconds: 0,
    evalSeconds: evalPerPass * epochs,
    samplesTrained: epochs,
    trainedFraction: config.policy === 'full' ? 1 : 0.5,
    epochs: Array.from({ length: epochs }, (_, epoch) => ({
      epoch,
      samples: 1,
      trainLoss: 1,
      trainAccuracy: 0.5,
      testAccuracy: 0.9,
      trainingSeconds: cost / epochs,
      selectionHash: '',
    })),
    selection: { histogram: [0, ...Array.from({ length: epochs }, (_, i) => (i === 0 ? 1 : 0))], flippedShare: 0.5 },
    backend: 'tensorflow',
    finishedAt: '2026-12-06T12:00:00.000Z',
  } as unknown as RunSummary;
}

describe('machine speed from evaluation passes', () => {
  it('counts only evaluated epochs as passes, and has no speed for a run that never evaluated', () => {
    const r = run({}, 100, 5);
    expect(evalSecondsPerPass(r)).toBeCloseTo(5);
    const once = {
      ...r,
      evalSeconds: 6,
      epochs: r.epochs.map((e, i) => (i === 3 ? e : { ...e, testAccuracy: undefined })),
    } as RunSummary;
    expect(evalSecondsPerPass(once)).toBeCloseTo(6);
    const never = {
      ...r,
      evalSeconds: 0,
      epochs: r.epochs.map((e) => ({ ...e, testAccuracy: undefined })),
    } as RunSummary;
    expect(evalSecondsPerPass(never)).toBeUndefined();
    expect(relativeMachineSpeed([r, never], [r, run({}, 100, 7.5)])).toEqual([1.25, undefined]);
  });

  it('rescales a run made on a slower machine to the full-data run speed', () => {
    // Full data: 100 s at 5 s per pass. A half-data run on a machine 1.25x slower: 62.5 s (50 s at full speed).
    const ms = summarize([run({ policy: 'full' }, 100, 5), run({ policy: 'random', pruneRatio: 0.5 }, 62.5, 6.25)]);
    const r = ms.find((m) => m.policy === 'random')!;
    expect(r.speedup).toBeCloseTo(1.6);
    expect(r.machineSpeed).toBeCloseTo(0.8);
    expect(r.adjustedCost!.mean).toBeCloseTo(50);
    expect(r.adjustedSpeedup).toBeCloseTo(2);
    const table = comparisonTable(
      [run({ policy: 'full' }, 100, 5), run({ policy: 'random', pruneRatio: 0.5 }, 62.5, 6.25)],
      { adjustForMachine: true },
    );
    expect(table.split('\n')[0]).toMatch(/\| speed-up \| machine \| adj\. speed-up \|/);
    expect(table).toMatch(/\| random @ 0\.5 .*\| 1\.60× +\| 0\.80× +\| 2\.00× +\|/);
  });

  it("gives a method's machine speed as a ratio of mean passes, so full data against itself is exactly 1", () => {
    // Two full-data seeds with noisy passes (4 s and 6 s): a mean of per-run ratios would say (5/4 + 5/6) / 2 = 1.04.
    const full = [run({ policy: 'full', seed: 0 }, 100, 4), run({ policy: 'full', seed: 1 }, 100, 6)];
    const half = [
      run({ policy: 'random', pruneRatio: 0.5, seed: 0 }, 50, 5),
      run({ policy: 'random', pruneRatio: 0.5, seed: 1 }, 50, 7.5),
    ];
    expect(groupMachineSpeed(full, full)).toBe(1);
    expect(groupMachineSpeed(half, full)).toBeCloseTo(5 / 6.25);
    expect(groupMachineSpeed([run({}, 1, 5), { ...run({}, 1, 5), evalSeconds: 0 }], full)).toBeUndefined();
    // A baseline run that never evaluated is left out of the baseline's mean, as in relativeMachineSpeed.
    const withSilent = [...full, { ...run({ policy: 'full', seed: 2 }, 100, 5), evalSeconds: 0 }];
    expect(groupMachineSpeed(half, withSilent)).toBeCloseTo(5 / 6.25);
    expect(relativeMachineSpeed(half, withSilent)).toEqual(relativeMachineSpeed(half, full));
    const ms = summarize([...full, ...half]);
    expect(ms.find((m) => m.policy === 'full')!.machineSpeed).toBe(1);
    expect(ms.find((m) => m.policy === 'random')!.machineSpeed).toBeCloseTo(0.8);
    // The adjusted costs still rescale each run by its own pass against the full-data mean of 5 s: 50 × 1, 50 × 5 / 7.5.
    expect(ms.find((m) => m.policy === 'random')!.adjustedCost!.mean).toBeCloseTo((50 + 50 * (5 / 7.5)) / 2);
  });

  it('warns when runs ran at different machine speeds, and not once the costs are adjusted', () => {
    const runs = [run({ policy: 'full' }, 100, 5), run({ policy: 'random', pruneRatio: 0.5 }, 62.5, 6.25)];
    const ms = summarize(runs);
    expect(machineSpeedWarning(ms, false)).toMatch(
      /^some runs ran on a machine 0\.80-1\.00x as fast as their full-data run .*--adjust-machine-speed/,
    );
    expect(machineSpeedWarning(ms, true)).toBeUndefined();
    expect(
      machineSpeedWarning(summarize([runs[0]!, run({ policy: 'random', pruneRatio: 0.5 }, 62.5, 5)]), false),
    ).toBeUndefined();
    expect(comparisonTable(runs)).not.toMatch(/adj\. speed-up/);
    expect(comparisonTable(runs, { adjustForMachine: true })).toMatch(
      /\| random @ 0\.5 .*\| 1\.60× +\| 0\.80× +\| 2\.00× +\|/,
    );
  });
});
