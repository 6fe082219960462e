import { describe, expect, it } from 'vitest';
import { describeCpu, formatCpu, oneDnnAdvice, oneDnnSafe, oneDnnState } from './cpu.js';
import { oneDnnDefault } from './onednn-default.js';

// Abridged /proc/cpuinfo of the two host kinds this project runs on.
const EPYC_AVX2 = 'vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse sse2 avx fma avx2 bmi2\n';
const EPYC_ZEN5 =
  'vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx fma avx2 avx512f avx512dq avx_vnni avx512_bf16 avx512_vnni\n';
const SAPPHIRE =
  'vendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8488C\nflags\t\t: avx fma avx2 avx512f avx512_vnni amx_bf16 amx_tile amx_int8\n';

describe('describeCpu', () => {
  it('reads model, vendor and the extensions that matter, in a fixed order', () => {
    expect(describeCpu(EPYC_AVX2, true)).toMatchObject({
      model: 'AMD EPYC 7B13',
      vendor: 'AuthenticAMD',
      extensions: ['avx2', 'fma'],
    });
    expect(describeCpu(SAPPHIRE).extensions).toEqual([
      'avx2',
      'fma',
      'avx512f',
      'avx512_vnni',
      'amx_tile',
      'amx_int8',
      'amx_bf16',
    ]);
    expect(describeCpu(EPYC_ZEN5).extensions).toEqual([
      'avx2',
      'fma',
      'avx512f',
      'avx512_vnni',
      'avx512_bf16',
      'avx_vnni',
    ]);
  });
  it('falls back to os.cpus() without /proc/cpuinfo', () => {
    const cpu = describeCpu(null);
    expect(cpu.cores).toBeGreaterThan(0);
    expect(cpu.model.length).toBeGreaterThan(0);
    expect(cpu.extensions).toEqual([]);
  });
  it('reads this machine', () => {
    expect(describeCpu().cores).toBeGreaterThan(0);
  });
});

describe.runIf(process.platform === 'linux')('oneDnnState (TensorFlow 2.21 rule)', () => {
  const avx2 = describeCpu(EPYC_AVX2, true);
  const vnni = describeCpu(EPYC_ZEN5, true);
  it('is off by default on an AVX2-only CPU and on by default with VNNI / AMX', () => {
    expect(oneDnnState(avx2, {})).toEqual({ enabled: false, source: 'cpu-default' });
    expect(oneDnnState(vnni, {})).toEqual({ enabled: true, source: 'cpu-default' });
    expect(oneDnnState(describeCpu(SAPPHIRE), {}).enabled).toBe(true);
  });
  it('TF_ENABLE_ONEDNN_OPTS wins when it is 0/1/true/false (any case), the CPU default otherwise', () => {
    expect(oneDnnState(avx2, { TF_ENABLE_ONEDNN_OPTS: '1' })).toEqual({ enabled: true, source: 'env', env: '1' });
    expect(oneDnnState(avx2, { TF_ENABLE_ONEDNN_OPTS: 'TRUE' }).enabled).toBe(true);
    expect(oneDnnState(vnni, { TF_ENABLE_ONEDNN_OPTS: 'false' })).toEqual({
      enabled: false,
      source: 'env',
      env: 'false',
    });
    expect(oneDnnState(vnni, { TF_ENABLE_ONEDNN_OPTS: '0' }).enabled).toBe(false);
    expect(oneDnnState(avx2, { TF_ENABLE_ONEDNN_OPTS: 'yes' })).toEqual({
      enabled: false,
      source: 'cpu-default',
      env: 'yes',
    });
  });
  it('advises only when off, naming the variable and the fix', () => {
    expect(oneDnnAdvice(vnni, oneDnnState(vnni, {}))).toBeUndefined();
    const advice = oneDnnAdvice(avx2, oneDnnState(avx2, {}));
    if (process.arch === 'x64') expect(advice).toMatch(/off .*AMD EPYC 7B13.*fix: set TF_ENABLE_ONEDNN_OPTS=1/);
    expect(formatCpu(avx2, oneDnnState(avx2, { TF_ENABLE_ONEDNN_OPTS: '1' }))).toBe(
      'AMD EPYC 7B13 · ' + avx2.cores + ' cores · avx2 fma · oneDNN on (TF_ENABLE_ONEDNN_OPTS=1)',
    );
  });
});

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'oneDNN on hosts that hide their cache sizes',
  () => {
    const hidden = describeCpu(EPYC_ZEN5, false);
    it("is not safe there: dp's default turns it off, elsewhere on", () => {
      expect(oneDnnSafe(hidden)).toBe(false);
      expect(oneDnnDefault(hidden)).toBe('0');
      expect(oneDnnDefault(describeCpu(EPYC_AVX2, true))).toBe('1');
    });
    it('warns when it is on there anyway (by TensorFlow default or by the user), and not when it is off', () => {
      expect(oneDnnAdvice(hidden, oneDnnState(hidden, {}))).toMatch(
        /crash some layer shapes with SIGFPE .*fix: set TF_ENABLE_ONEDNN_OPTS=0/,
      );
      expect(oneDnnAdvice(hidden, oneDnnState(hidden, { TF_ENABLE_ONEDNN_OPTS: '1' }))).toMatch(
        /on \(TF_ENABLE_ONEDNN_OPTS=1\) on a CPU that hides/,
      );
      expect(oneDnnAdvice(hidden, oneDnnState(hidden, { TF_ENABLE_ONEDNN_OPTS: '0' }))).toBeUndefined();
      const on = oneDnnState(hidden, { TF_ENABLE_ONEDNN_OPTS: '1' });
      expect(oneDnnAdvice(hidden, on, { name: 'resnet20', tested: true })).toBeUndefined();
      expect(oneDnnAdvice(hidden, on, { name: 'resnet50', tested: false })).toMatch(
        /SIGFPE \(e\.g\. ResNet-50\); resnet50 was not tested with them there; fix: set TF_ENABLE_ONEDNN_OPTS=0/,
      );
    });
  },
);
