import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCpu, formatCpu, oneDnnState } from '@dp/trainer';
import type { BackendInfo } from '../backend.js';

/** The machine and software a run trains on, for its start / resume record in log.jsonl. */
export function environmentRecord(backend: BackendInfo): Record<string, unknown> {
  const cpu = describeCpu();
  const onednn = oneDnnState(cpu);
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpu: formatCpu(cpu, onednn),
    cpuModel: cpu.model,
    cpuExtensions: cpu.extensions,
    onednn,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    backend: backend.backend,
    tensorflow: backend.tensorflowVersion ?? null,
    tfjs: backend.tfjsVersion,
  };
}

/** The git revision of dp's own checkout (not the caller's working directory, which may be another repository or none). */
export function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}
