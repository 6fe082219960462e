import { describe, expect, it } from 'vitest';
import { DistributedError } from './errors.js';
import { resolveJoinOptions } from './options.js';
import { parseTfConfig } from './tf-config.js';

const cluster = parseTfConfig(
  '{"cluster":{"worker":["127.0.0.1:2222","127.0.0.1:2223"]},"task":{"type":"worker","index":0}}',
);

describe('joinCluster options', () => {
  it('defaults', () => {
    expect(resolveJoinOptions({ cluster })).toEqual({
      cluster,
      timeoutMs: 120_000,
      startupTimeoutMs: 300_000,
      healthCheckIntervalMs: 2000,
      healthCheckTimeoutMs: 5000,
      groupKey: 1,
    });
  });

  it.each([
    [
      'timeoutMs',
      { timeoutMs: 0 },
      /joinCluster options.timeoutMs = 0 is invalid: expected an integer in \[100, 86400000\]; fix: /,
    ],
    ['startupTimeoutMs', { startupTimeoutMs: 1.5 }, /options.startupTimeoutMs = 1.5 is invalid/],
    ['healthCheckIntervalMs', { healthCheckIntervalMs: null }, /options.healthCheckIntervalMs = null is invalid/],
    ['healthCheckTimeoutMs', { healthCheckTimeoutMs: '5000' }, /options.healthCheckTimeoutMs = "5000" is invalid/],
    [
      'groupKey',
      { groupKey: 2 ** 31 },
      /options.groupKey = 2147483648 is invalid: expected an integer in \[1, 2147483647\]/,
    ],
  ])('refuses a bad %s, naming it, the range and a fix', (_, bad, message) => {
    expect(() => resolveJoinOptions({ cluster, ...(bad as object) })).toThrow(message);
  });

  it('refuses a missing cluster with the fix to read TF_CONFIG', () => {
    expect(() => resolveJoinOptions({ cluster: null as never })).toThrow(DistributedError);
    expect(() => resolveJoinOptions({ cluster: null as never })).toThrow(
      /options.cluster = null is invalid.*fix: set TF_CONFIG and pass \{ cluster: readTfConfig\(\) \}/,
    );
  });
});
