import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfCore from '@tensorflow/tfjs-core';
import { backendSetupCommand } from '@dp/setup-backend';
import { ExperimentError } from './errors.js';

export interface BackendOptions {
  /** Use @tensorflow/tfjs-node-gpu (CUDA) instead of @tensorflow/tfjs-node. Also DP_TFJS=gpu. */
  gpu?: boolean;
  /** Allow the pure-JS `cpu` backend when the native one cannot load (300-700x slower). */
  allowCpu?: boolean;
  /** Told when the run falls back to the pure-JS backend (allowCpu). */
  onWarning?: (message: string) => void;
}

/** The tfjs-node specific API (`tf.node`): summary writers, image decoding. Absent on the pure-JS backend. */
export interface TfNodeApi {
  summaryFileWriter(logdir: string): { scalar(name: string, value: number, step: number): void; flush(): void };
}

export interface BackendInfo {
  tf: typeof TfCore;
  node?: TfNodeApi;
  /** Active backend name: 'tensorflow' when native. */
  backend: string;
  /** The npm package that provided it. */
  package: string;
  /** libtensorflow version, when native. */
  tensorflowVersion?: string;
  tfjsVersion: string;
  /** Why the native backend could not load, if it could not. */
  nativeError?: string;
}

/**
 * Register the native TensorFlow backend (the only place in the project with this side effect).
 * Fails loudly rather than letting training fall back to the pure-JS backend, unless `allowCpu`.
 */
export async function loadBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const gpu = Boolean(opts.gpu) || process.env.DP_TFJS === 'gpu';
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  let nativeError: string | undefined;
  let node: TfNodeApi | undefined;
  try {
    const mod = (await import(pkg)) as { node?: TfNodeApi; default?: { node?: TfNodeApi } };
    node = mod.node ?? mod.default?.node;
  } catch (e) {
    nativeError = firstLine((e as Error).message);
  }
  const tf = await import('@tensorflow/tfjs-core');
  if (nativeError === undefined) {
    await tf.ready();
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
    return {
      tf,
      ...(node ? { node } : {}),
      backend: tf.getBackend(),
      package: pkg,
      ...(binding?.TF_Version ? { tensorflowVersion: binding.TF_Version } : {}),
      tfjsVersion: tf.version_core,
    };
  }
  if (!opts.allowCpu) {
    throw new ExperimentError(
      `the native TensorFlow backend (${pkg}) could not load: ${nativeError}; fix: run \`${setupCommand(gpu)}\`, ` +
        'or pass --allow-cpu to train on the pure-JS backend (300-700x slower)',
    );
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  opts.onWarning?.(
    `native backend unavailable (${nativeError}); running on the pure-JS cpu backend because --allow-cpu was given`,
  );
  return {
    tf,
    backend: tf.getBackend(),
    package: '@tensorflow/tfjs-backend-cpu',
    tfjsVersion: tf.version_core,
    nativeError,
  };
}

/**
 * The set-up command that fits where this code runs: `npm run setup` in the repository, `npx dp setup-backend` in a
 * project that installed the packages.
 */
export function setupCommand(gpu: boolean): string {
  return backendSetupCommand(dirname(fileURLToPath(import.meta.url)), gpu);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}
