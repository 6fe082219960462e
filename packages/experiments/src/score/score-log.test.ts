import { describe, expect, it } from 'vitest';
import { ScoreLog } from './score-log.js';

describe('ScoreLog', () => {
  it('prints what finished, how long it took, the count, and an ETA pricing epochs and passes apart', () => {
    const lines: string[] = [];
    const log = new ScoreLog(2, 1, true, 0, (l) => lines.push(l), true);
    log.step('epoch', 'run 1/2 · epoch 1/1', 30_000);
    log.step('pass', 'run 1/2 · scoring pass', 40_000);
    log.step('epoch', 'run 2/2 · epoch 1/1', 70_000);
    log.step('pass', 'run 2/2 · scoring pass', 80_000);
    expect(lines).toEqual([
      'run 1/2 · epoch 1/1 · 0:30 · 1/4 done\n', // no pass timed yet: no ETA rather than a wrong one
      'run 1/2 · scoring pass · 0:10 · 2/4 done · ETA 0:40\n',
      'run 2/2 · epoch 1/1 · 0:30 · 3/4 done · ETA 0:10\n',
      'run 2/2 · scoring pass · 0:10 · 4/4 done\n',
    ]);
  });

  it('counts no scoring pass for scores taken during training (forgetting), and only passes at initialisation (GraNd)', () => {
    const lines: string[] = [];
    const forgetting = new ScoreLog(1, 2, false, 0, (l) => lines.push(l), true);
    forgetting.step('epoch', 'run 1/1 · epoch 1/2', 1000);
    forgetting.step('epoch', 'run 1/1 · epoch 2/2', 2000);
    const grand = new ScoreLog(2, 0, true, 0, (l) => lines.push(l), true);
    grand.step('pass', 'run 1/2 · scoring pass', 5000);
    expect(lines).toEqual([
      'run 1/1 · epoch 1/2 · 0:01 · 1/2 done · ETA 0:01\n',
      'run 1/1 · epoch 2/2 · 0:01 · 2/2 done\n',
      'run 1/2 · scoring pass · 0:05 · 1/2 done · ETA 0:05\n',
    ]);
  });

  it('reports a long pass by tenths off a terminal, and not at all on one (the progress bar does)', () => {
    const lines: string[] = [];
    const log = new ScoreLog(1, 0, true, 0, (l) => lines.push(l), false);
    for (let k = 1; k <= 25; k++) log.passProgress('run 1/1 · scoring pass', k, 25);
    expect(lines).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => `run 1/1 · scoring pass · ${p}%\n`));
    const quiet = new ScoreLog(1, 0, true, 0, (l) => lines.push(l), true);
    for (let k = 1; k <= 25; k++) quiet.passProgress('x', k, 25);
    expect(lines).toHaveLength(9);
  });
});
