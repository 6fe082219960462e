import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The vector extensions that decide TensorFlow's CPU kernels (and whether oneDNN is on by default). */
export const CPU_EXTENSIONS = [
  'avx2',
  'fma',
  'avx512f',
  'avx512_vnni',
  'avx512_bf16',
  'avx_vnni',
  'amx_tile',
  'amx_int8',
  'amx_bf16',
] as const;

/** What a run or benchmark records about the processor it ran on. */
export interface CpuInfo {
  /** Model name as the OS reports it, e.g. "AMD EPYC" or "Intel(R) Xeon(R) Platinum 8488C". */
  model: string;
  /** Vendor id: "AuthenticAMD", "GenuineIntel", or the architecture where there is none (e.g. "arm64"). */
  vendor: string;
  /** Logical cores visible to the process. */
  cores: number;
  /** The extensions of CPU_EXTENSIONS this CPU has, in that order. */
  extensions: string[];
  /**
   * Whether the OS sees the CPU's cache sizes (Linux: /sys/devices/system/cpu/cpu0/cache). Some virtual machines hide
   * them (CPUID leaves 4 / 0x8000001D); oneDNN then divides by a zero cache size on some layer shapes (SIGFPE).
   */
  cachesVisible: boolean;
}

/** TensorFlow's oneDNN optimisations: on or off for this process, and why. */
export interface OneDnnState {
  enabled: boolean;
  /** 'env': TF_ENABLE_ONEDNN_OPTS says so; 'cpu-default': unset (or unreadable), TensorFlow's default for this CPU. */
  source: 'env' | 'cpu-default';
  /** The variable's raw value, if set. */
  env?: string;
}

/**
 * Describe the CPU from /proc/cpuinfo (Linux) or os.cpus() elsewhere. `cpuinfo` is the file's text, for tests;
 * pass null to skip the file.
 */
export function describeCpu(cpuinfo: string | null = readCpuinfo(), cachesVisible = cachesVisibleHere()): CpuInfo {
  const field = (name: string) => cpuinfo?.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  const flags = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/));
  const list = cpus();
  return {
    model: field('model name') ?? list[0]?.model.trim() ?? 'unknown',
    vendor: field('vendor_id') ?? process.arch,
    cores: list.length,
    extensions: CPU_EXTENSIONS.filter((x) => flags.has(x)),
    cachesVisible,
  };
}

function cachesVisibleHere(): boolean {
  return process.platform !== 'linux' || existsSync('/sys/devices/system/cpu/cpu0/cache');
}

/**
 * Whether TensorFlow's oneDNN kernels are safe on this CPU: not on Linux x86 hosts that hide their cache sizes, where
 * TensorFlow 2.21's oneDNN crashes the process with SIGFPE on some layer shapes (measured 2026-12-06 on an AMD EPYC
 * VM without cache information: a 1x1 convolution 512 -> 1024 channels on a 4x4 input, ResNet-50's forward pass;
 * ResNet-20, ResNet-18 and the small CNN ran).
 */
export function oneDnnSafe(cpu: CpuInfo): boolean {
  return cpu.cachesVisible || !['x64', 'ia32'].includes(process.arch);
}

/**
 * Whether TensorFlow (2.21, Linux x86) runs with its oneDNN optimisations. TF_ENABLE_ONEDNN_OPTS decides when it
 * holds 0/1/true/false (any case); otherwise TensorFlow turns them on only on CPUs with AVX512_VNNI, AVX512_BF16,
 * AVX_VNNI or AMX (tensorflow/core/util/util.cc, IsMklEnabled / DefaultOneDnnPolicy). Read it after the variable is
 * final: TensorFlow reads it once, when it loads.
 */
export function oneDnnState(cpu: CpuInfo, env: Record<string, string | undefined> = process.env): OneDnnState {
  const raw = env.TF_ENABLE_ONEDNN_OPTS;
  const v = raw?.trim().toLowerCase();
  if (v === '1' || v === 'true') return { enabled: true, source: 'env', env: raw! };
  if (v === '0' || v === 'false') return { enabled: false, source: 'env', env: raw! };
  const byDefault =
    process.platform === 'linux' &&
    ['avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_int8', 'amx_bf16'].some((x) =>
      cpu.extensions.includes(x),
    );
  return { enabled: byDefault, source: 'cpu-default', ...(raw === undefined ? {} : { env: raw }) };
}

/** One line for logs and `dp doctor`: "AMD EPYC · 2 cores · avx2 fma avx512f · oneDNN on (TF_ENABLE_ONEDNN_OPTS=1)". */
export function formatCpu(cpu: CpuInfo, onednn?: OneDnnState): string {
  const parts = [cpu.model, `${cpu.cores} cores`, cpu.extensions.length ? cpu.extensions.join(' ') : 'no AVX2'];
  if (onednn)
    parts.push(
      `oneDNN ${onednn.enabled ? 'on' : 'off'} (${onednn.source === 'env' ? `TF_ENABLE_ONEDNN_OPTS=${onednn.env}` : "TensorFlow's default for this CPU"})`,
    );
  return parts.join(' · ');
}

/**
 * The advice the trainer gives once when oneDNN is off on x86 (training runs 1.6-1.9x slower there), or undefined.
 * Not on other architectures, where TensorFlow's oneDNN build does not apply. On hosts that hide their cache sizes,
 * a warning when oneDNN is on, unless `model` (the model being trained, as oneDnnModel names it) was tested there
 * (`tested`, from ONEDNN_TESTED_MODELS).
 */
export function oneDnnAdvice(
  cpu: CpuInfo,
  state: OneDnnState,
  model?: { name: string; tested: boolean },
): string | undefined {
  if (state.enabled && !oneDnnSafe(cpu)) {
    if (model?.tested) return undefined;
    const which = model ? `; ${model.name} was not tested with them there` : '';
    return `TensorFlow's oneDNN optimisations are on (${state.source === 'env' ? `TF_ENABLE_ONEDNN_OPTS=${state.env}` : "TensorFlow's default for this CPU"}) on a CPU that hides its cache sizes, where they crash some layer shapes with SIGFPE (e.g. ResNet-50)${which}; fix: set TF_ENABLE_ONEDNN_OPTS=0 if training dies with "Floating point exception"`;
  }
  if (state.enabled || !['x64', 'ia32'].includes(process.arch) || !oneDnnSafe(cpu)) return undefined;
  const why =
    state.source === 'env'
      ? `TF_ENABLE_ONEDNN_OPTS=${state.env} turns them off`
      : `TensorFlow leaves them off on this CPU (${cpu.model})`;
  return `TensorFlow's oneDNN optimisations are off (${why}); training is up to 1.9x faster with them: fix: set TF_ENABLE_ONEDNN_OPTS=1 in the environment before @tensorflow/tfjs-node is imported`;
}

function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}
