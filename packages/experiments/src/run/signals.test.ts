import { describe, expect, it } from 'vitest';
import { SignalWatch } from './signals.js';

/** A watch that installs no handler: signals are handed to it, and its messages and exits are recorded. */
function watched() {
  const said: string[] = [];
  const exits: number[] = [];
  const aborted: string[] = [];
  const watch = new SignalWatch(false, {
    runDir: '/nonexistent/run',
    say: (l) => said.push(l),
    exit: (c) => exits.push(c),
  });
  const cluster = { rank: 1, worldSize: 2, abort: (reason: string) => aborted.push(reason) };
  return { watch, said, exits, aborted, cluster };
}

describe('SignalWatch: Ctrl-C as a user expects it', () => {
  it('before training: stops at once (130), saying where and that the run directory was not changed', () => {
    const { watch, said, exits, aborted, cluster } = watched();
    watch.during('joining the cluster');
    watch.joined(cluster);
    watch.handle('SIGINT');
    expect(exits).toEqual([130]);
    expect(said).toEqual([
      'dp: error: interrupted (SIGINT) before training started (worker 1 of 2), while joining the cluster: /nonexistent/run was not changed; fix: run the same command again',
    ]);
    // A joined worker aborts its pending collectives (the start-up barrier) rather than leave them running.
    expect(aborted).toHaveLength(1);
    expect(watch.signal()).toBeUndefined();
  });

  it('during training: the first signal is recorded and announced; the second stops at once, aborting the collectives', () => {
    const { watch, said, exits, aborted, cluster } = watched();
    watch.joined(cluster);
    watch.startTraining();
    watch.handle('SIGTERM');
    expect(watch.signal()).toBe('SIGTERM');
    expect(exits).toEqual([]);
    expect(aborted).toEqual([]);
    expect(said).toEqual([
      'dp: SIGTERM: stopping after the current step, with every worker, keeping the last checkpoint; press Ctrl-C again to stop at once',
    ]);
    watch.handle('SIGINT');
    expect(exits).toEqual([130]);
    expect(aborted).toHaveLength(1);
    expect(said[1]).toBe(
      'dp: error: interrupted again (SIGINT) (worker 1 of 2): stopped at once, without waiting for the other workers to agree; no checkpoint was written yet; fix: run the same command again to start the run over',
    );
    // The first signal stays the one the run reports.
    expect(watch.signal()).toBe('SIGTERM');
  });

  it('one process (no cluster): no worker named, nothing to abort', () => {
    const { watch, said, exits } = watched();
    watch.joined(undefined);
    watch.startTraining();
    watch.handle('SIGINT');
    watch.handle('SIGINT');
    expect(exits).toEqual([130]);
    expect(said[0]).toMatch(/^dp: SIGINT: stopping after the current step, keeping/);
    expect(said[1]).toMatch(/^dp: error: interrupted again \(SIGINT\): stopped at once; no checkpoint/);
  });
});
