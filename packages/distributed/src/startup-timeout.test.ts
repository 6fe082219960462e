import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistributedError } from './errors.js';
import { resolveJoinOptions } from './options.js';
import { startupTimeoutMs } from './startup-timeout.js';
import { clusterSpec } from './cluster-spec.js';

const cluster = clusterSpec([{ name: 'worker', addresses: ['127.0.0.1:1'] }], 'worker', 0);

describe('startupTimeoutMs (--startup-timeout S)', () => {
  it('is undefined when the flag is not given: joinCluster keeps its 300 s default', () => {
    expect(startupTimeoutMs(undefined)).toBeUndefined();
    expect(resolveJoinOptions({ cluster }).startupTimeoutMs).toBe(300_000);
  });

  it('turns seconds into the milliseconds joinCluster takes', () => {
    expect(startupTimeoutMs('60')).toBe(60_000);
    expect(startupTimeoutMs('2.5')).toBe(2500);
    expect(startupTimeoutMs('0.1')).toBe(100);
    expect(startupTimeoutMs('86400')).toBe(86_400_000);
  });

  it('every accepted value is one joinCluster accepts', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 86_400, noNaN: true }), (s) => {
        const ms = startupTimeoutMs(s.toFixed(3).replace(/\.?0+$/, ''));
        if (ms === undefined) return false;
        return resolveJoinOptions({ cluster, startupTimeoutMs: ms }).startupTimeoutMs === ms;
      }),
    );
  });

  it.each(['0', '0.05', '86401', '-5', '1e3', 'abc', '', '5s', ' ', 'Infinity'])(
    'refuses %j, naming the flag, the range and the fix',
    (v) => {
      let err: unknown;
      try {
        startupTimeoutMs(v);
      } catch (e) {
        err = e;
      }
      expect(DistributedError.isInstance(err)).toBe(true);
      const e = err as DistributedError;
      expect(e.field).toBe('--startup-timeout');
      expect(e.value).toBe(v);
      expect(e.message).toContain(
        `--startup-timeout = ${JSON.stringify(v)} is invalid: expected a number of seconds in [0.1, 86400]; fix: pass e.g. --startup-timeout 60`,
      );
    },
  );

  it('refuses a value that is not a string (a config object, a number)', () => {
    expect(() => startupTimeoutMs(60)).toThrow(/--startup-timeout = 60 is invalid/);
  });
});
