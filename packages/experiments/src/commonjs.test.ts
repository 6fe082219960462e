import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** What both builds compute: a run's key, its flags' help, a summary of one run, an error's class and fix. */
const probe = (load: string) => `
  const e = ${load};
  const cfg = e.validateRunConfig({ policy: 'ucb', pruneRatio: 0.5, policyOptions: { c: 2 }, seed: 7 });
  let error;
  try { e.validateRunConfig({ epochs: 0 }); } catch (x) { error = [x.name, x instanceof e.ExperimentError, x.fix]; }
  process.stdout.write(JSON.stringify({ key: e.fingerprint(cfg), help: e.runFlagsHelp().length, role: e.roleOf('equal-steps'), error, method: e.methodLabel('ucb', 0.5, '', e.effectiveOptions('ucb', { c: 1, decay: 0.5 })) }));
`;

describe('@dp/experiments builds', () => {
  it('compute the same in CommonJS (require) as in ES modules (import)', () => {
    const run = (code: string, type: string) =>
      spawnSync(process.execPath, ['--input-type', type, '-e', code], { encoding: 'utf8' });
    const cjs = run(probe(`require(${JSON.stringify(join(dist, 'index.cjs'))})`), 'commonjs');
    const esm = run(probe(`await import(${JSON.stringify(join(dist, 'index.js'))})`), 'module');
    expect(cjs.status, cjs.stderr).toBe(0);
    expect(esm.status, esm.stderr).toBe(0);
    expect(JSON.parse(cjs.stdout)).toEqual(JSON.parse(esm.stdout));
    expect(JSON.parse(esm.stdout)).toMatchObject({
      role: 'matched-steps',
      error: ['ExperimentError', true, expect.stringContaining('epochs')],
      method: 'ucb (decay=0.5) @ 0.5',
    });
  });
});
