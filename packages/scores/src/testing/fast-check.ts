import { createRequire } from 'node:module';
import type * as FastCheck from 'fast-check';
import { ScoreError } from '../errors.js';

/** fast-check's API, as the suite uses it. */
export type Fc = typeof FastCheck;

/**
 * fast-check, the shared suite's peer dependency, loaded when the suite first runs (not when `@dp/scores/testing`
 * is imported), so that a project without it gets a ScoreError saying what to install rather than Node's bare
 * `Cannot find package 'fast-check'`. `load` is the module loader (default: require from this package's location).
 */
export function loadFastCheck(load: (id: string) => unknown = createRequire(import.meta.url)): Fc {
  try {
    return load('fast-check') as Fc;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new ScoreError(
      "@dp/scores/testing needs fast-check, the shared suite's peer dependency, and it is not installed",
      'npm install --save-dev fast-check@^4.3.0 in the project whose tests run the suite',
      'fast-check',
    );
  }
}
