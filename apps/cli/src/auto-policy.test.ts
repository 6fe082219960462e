import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPolicy } from '@dp/policies';
import {
  AUTO_POLICY,
  DEFAULT_COMPARE_METHODS,
  EQUAL_STEPS,
  fullDataMethod,
  RECOMMENDED_PRUNE_RATIO,
  recommendedMethod,
  uniformMethod,
} from '@dp/experiments';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const CHEAP = ['--train-subset', '600', '--test-subset', '200'];

function dp(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const stderr = r.stderr.split('\n').filter((l) => l && !/^(WARNING: All log messages|I0000|W0000)/.test(l));
  return { code: r.status, stdout: r.stdout, stderr };
}

// The recommended policy is read from the metadata here too, so moving the recommendation changes no test.
describe('the recommended policy, by default', () => {
  it('dp train --policy auto trains the recommended policy at its ratio, and says once which and why', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dp-auto-')), 'run');
    const r = dp('train', '--policy', AUTO_POLICY, '--epochs', '1', ...CHEAP, '--out', out);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const notes = r.stdout.split('\n').filter((l) => l.startsWith(`--policy ${AUTO_POLICY}: `));
    expect(notes).toEqual([
      `--policy ${AUTO_POLICY}: ${recommendedMethod()} @ ${RECOMMENDED_PRUNE_RATIO}, the recommended policy: ${getPolicy(recommendedMethod()).recommended} (evidence and limits: packages/policies/docs/${recommendedMethod()}.md)`,
    ]);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { policy: string; pruneRatio: number };
    expect(cfg).toMatchObject({ policy: recommendedMethod(), pruneRatio: RECOMMENDED_PRUNE_RATIO });
  });

  it('dp compare with no methods given compares full data, equal-steps, uniform random and the recommended policy', () => {
    expect(DEFAULT_COMPARE_METHODS).toEqual([EQUAL_STEPS, uniformMethod(), recommendedMethod()]);
    const out = join(mkdtempSync(join(tmpdir(), 'dp-auto-')), 'compare');
    const r = dp('compare', '--epochs', '2', ...CHEAP, '--out', out);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `(full + ${EQUAL_STEPS}, ${uniformMethod()}, ${recommendedMethod()} @ ${RECOMMENDED_PRUNE_RATIO}; seeds 0)`,
    );
    for (const run of [
      fullDataMethod(),
      `${EQUAL_STEPS}-r${RECOMMENDED_PRUNE_RATIO}`,
      `${uniformMethod()}-r${RECOMMENDED_PRUNE_RATIO}`,
      `${recommendedMethod()}-r${RECOMMENDED_PRUNE_RATIO}`,
    ])
      expect(existsSync(join(out, `${run}-s0`, 'result.json')), run).toBe(true);
  }, 300_000); // four runs in one process: 80 s on the loaded 2-core machine

  it('a bad value is still one error line (exit 2) that lists auto among the choices', () => {
    const t = dp('train', '--policy', 'autoo', ...CHEAP);
    expect(t.code).toBe(2);
    expect(t.stderr).toHaveLength(1);
    expect(t.stderr[0]).toMatch(/^dp: error: unknown policy "autoo"; fix: use one of .*, auto$/);
    const c = dp('compare', '--policies', `${uniformMethod()},autoo`, ...CHEAP);
    expect(c.code).toBe(2);
    expect(c.stderr).toHaveLength(1);
    expect(c.stderr[0]).toMatch(/^dp: error: policy = "autoo" is invalid: expected one of .*, auto; fix: /);
  });
});
