import { describe, expect, it } from 'vitest';
import { SetupError } from './errors.js';
import { DEFAULT_WHEEL, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('defaults: cwd, CPU, the pinned wheel, ~/.cache/dp unless DP_CACHE_DIR / XDG_CACHE_HOME', () => {
    const o = resolveOptions({ env: {} });
    expect(o.from).toBe(process.cwd());
    expect(o.gpu).toBe(false);
    expect(o.wheel).toEqual({ spec: DEFAULT_WHEEL, name: 'tensorflow-cpu', version: '2.21.0' });
    expect(o.cacheDir).toMatch(/\.cache\/dp$/);
    expect(resolveOptions({ env: { XDG_CACHE_HOME: '/x' } }).cacheDir).toBe('/x/dp');
    expect(resolveOptions({ env: { DP_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' } }).cacheDir).toBe('/c');
    expect(resolveOptions({ env: { DP_TFJS: 'gpu' } }).gpu).toBe(true);
    expect(resolveOptions({ env: { DP_TF_WHEEL: 'tensorflow==2.20.0' } }).wheel.version).toBe('2.20.0');
  });

  it('an explicit option wins over the environment', () => {
    expect(
      resolveOptions({ wheel: 'tensorflow-cpu==2.19.1', env: { DP_TF_WHEEL: 'tensorflow==2.20.0' } }).wheel.spec,
    ).toBe('tensorflow-cpu==2.19.1');
    expect(resolveOptions({ cacheDir: '/mine', env: { DP_CACHE_DIR: '/c' } }).cacheDir).toBe('/mine');
  });

  it.each([
    [
      { wheel: 'tensorflow' },
      /wheel = "tensorflow" is invalid: expected tensorflow-cpu==X\.Y\.Z or tensorflow==X\.Y\.Z; fix: /,
      'wheel',
    ],
    [{ env: { DP_TF_WHEEL: 'torch==2.0.0' } }, /DP_TF_WHEEL = "torch==2\.0\.0" is invalid/, 'DP_TF_WHEEL'],
    [{ from: '' }, /from = "" is invalid: expected a non-empty string; fix: /, 'from'],
    [{ gpu: 'yes' }, /gpu = "yes" is invalid: expected true or false/, 'gpu'],
    [{ cacheDir: 3 }, /cacheDir = 3 is invalid/, 'cacheDir'],
  ])('refuses %j with one SetupError naming the field', (opts, message, field) => {
    const run = () => resolveOptions(opts as never);
    expect(run).toThrow(SetupError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as SetupError).field).toBe(field);
    }
  });
});
