import { describe, expect, it } from 'vitest';
import { DistributedError } from './errors.js';
import type { LaunchResult } from './launch.js';
import { launchFailure, launchTarget, rankTag } from './launch-request.js';

const SELF = { node: '/usr/bin/node', script: '/opt/dp/bin/dp.mjs' };

describe('launchTarget (dp launch --workers N [--port P] -- COMMAND)', () => {
  it('runs `dp` as the launching CLI under the same Node, and any other command as given', () => {
    expect(launchTarget({ workers: '2', command: ['dp', 'train', '--epochs', '1'] }, SELF)).toEqual({
      workers: 2,
      command: SELF.node,
      args: [SELF.script, 'train', '--epochs', '1'],
    });
    expect(launchTarget({ workers: '3', port: '5000', command: ['python3', 'w.py'] }, SELF)).toEqual({
      workers: 3,
      port: 5000,
      command: 'python3',
      args: ['w.py'],
    });
    expect(launchTarget({ workers: '1', command: ['dp'] })).toEqual({ workers: 1, command: 'dp', args: [] });
  });

  it.each([
    [{ workers: undefined, command: ['dp'] }, '--workers is required; fix: pass --workers N, e.g. --workers 2'],
    [{ workers: '2.5', command: ['dp'] }, '--workers 2.5 is invalid: expected an integer; fix: pass --workers 2'],
    [{ workers: true, command: ['dp'] }, '--workers true is invalid: expected an integer; fix: pass --workers 2'],
    [{ workers: '2', port: '-1', command: ['dp'] }, '--port -1 is invalid: expected an integer; fix: pass --port 2'],
    [
      { workers: '2', command: [] },
      'no command to launch; fix: give it after `--`, e.g. dp launch --workers 2 -- dp train --epochs 1',
    ],
  ])('refuses %j with a DistributedError naming the fix', (request, message) => {
    expect(() => launchTarget(request, SELF)).toThrow(DistributedError);
    expect(() => launchTarget(request, SELF)).toThrow(message);
  });
});

describe("a launch's outcome", () => {
  it('tags each line with its rank, right-aligned to the widest', () => {
    expect(rankTag(0, 2)).toBe('[0] ');
    expect(rankTag(3, 12)).toBe('[ 3] ');
    expect(rankTag(11, 12)).toBe('[11] ');
  });

  it('names the first worker that failed, how, and how to resume; nothing when all succeeded or on an interrupt', () => {
    const exits = [{ rank: 0, pid: 10, code: 0, signal: null }];
    expect(launchFailure({ code: 0, exits }, 2)).toBeUndefined();
    const killed = { rank: 1, pid: 11, code: null, signal: 'SIGKILL' as const };
    const failed: LaunchResult = { code: 1, exits: [...exits, killed], failed: killed };
    const e = launchFailure(failed, 2)!;
    expect(DistributedError.isInstance(e)).toBe(true);
    expect(e.message).toBe(
      'worker 1 of 2 (pid 11) was killed by SIGKILL, the first to fail; the others were stopped; fix: see its output above ([1] lines), then resume every worker from the last checkpoint with the same --workers 2',
    );
    const exited = { rank: 0, pid: 10, code: 3, signal: null };
    expect(launchFailure({ code: 3, exits: [exited], failed: exited }, 2)!.problem).toBe(
      'worker 0 of 2 (pid 10) exited with code 3, the first to fail; the others were stopped',
    );
    expect(launchFailure({ ...failed, code: 130, interrupted: 'SIGINT' }, 2)).toBeUndefined();
  });
});
