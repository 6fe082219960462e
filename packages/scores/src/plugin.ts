import { ScoreError } from './errors.js';
import { registerScore } from './registry.js';
import type { Score } from './types.js';
import { validateScore } from './validate.js';

export interface LoadPluginOptions {
  /**
   * How to import the specifier. Default: `import(specifier)` resolved from @dp/scores' own location. An app
   * that wants plug-ins resolved from its own node_modules passes `(s) => import(s)` written in its own code.
   */
  importer?: (specifier: string) => Promise<unknown>;
}

const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_UNSUPPORTED_DIR_IMPORT']);

/**
 * Load a scoring plug-in by package name (or file URL): dynamic import, check that its default export
 * implements the Score interface, register it, and return it. Loading the same plug-in twice is harmless.
 * Errors (ScoreError): package not installed, import failed, no default export, malformed score, name clash.
 */
export async function loadScorePlugin(specifier: string, options: LoadPluginOptions = {}): Promise<Score> {
  if (typeof specifier !== 'string' || specifier.trim() === '') {
    throw new ScoreError(`plug-in = ${JSON.stringify(specifier) ?? String(specifier)} is invalid`, "pass a package name such as '@dp/score-margin'", 'plugin');
  }
  const importer = options.importer ?? ((s: string) => import(/* @vite-ignore */ s));
  let mod: unknown;
  try {
    mod = await importer(specifier);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const msg = String(err?.message ?? e);
    if ((err?.code && NOT_FOUND.has(err.code) && msg.includes(specifier)) || /Cannot find (package|module)|Failed to (resolve|load)/.test(msg) && msg.includes(specifier)) {
      throw new ScoreError(`score plug-in '${specifier}' is not installed (${msg.split('\n')[0]})`, `npm install ${specifier}`, 'plugin');
    }
    throw new ScoreError(`score plug-in '${specifier}' failed to load: ${msg.split('\n')[0]}`, 'fix or reinstall the plug-in package', 'plugin');
  }
  const def = mod !== null && typeof mod === 'object' ? (mod as { default?: unknown }).default : undefined;
  if (def === undefined) {
    throw new ScoreError(`score plug-in '${specifier}' has no default export`, 'export the Score object as the module\'s default export (export default myScore)', 'plugin');
  }
  return registerScore(validateScore(def, `the default export of '${specifier}'`));
}
