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

/**
 * The module a "not found" import error says is missing: the quoted specifier of Node's `Cannot find package 'x'`
 * / `Cannot find module 'x'` (ESM and CommonJS), or of Vite's `Failed to load url x` / `Failed to resolve import "x"`.
 * Null for any other error.
 */
function missingModule(message: string): string | null {
  const m =
    /Cannot find (?:package|module) '([^']+)'/.exec(message) ??
    /Failed to resolve import "([^"]+)"/.exec(message) ??
    /Failed to load url (\S+)/.exec(message);
  return m ? m[1]! : null;
}

/**
 * Whether the missing module is the plug-in itself rather than something it imports: its package name, also for a
 * subpath specifier 'pkg/sub' (whose package is missing). A missing file: URL plug-in is reported as failing to
 * load, naming the file (npm cannot install it).
 */
function isThePlugin(missing: string, specifier: string): boolean {
  return missing === specifier || specifier.startsWith(`${missing}/`);
}

/** The npm package of a bare specifier: '@scope/name' or 'name', without a subpath. */
function packageOf(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/**
 * Load a scoring plug-in by package name (or file URL): dynamic import, check that its default export
 * implements the Score interface, register it, and return it. Loading the same plug-in twice is harmless.
 * Errors (ScoreError): package not installed (only when the missing module is the plug-in itself), import failed
 * (including a dependency of the plug-in that is missing), no default export, malformed score, name clash.
 */
export async function loadScorePlugin(specifier: string, options: LoadPluginOptions = {}): Promise<Score> {
  if (typeof specifier !== 'string' || specifier.trim() === '') {
    throw new ScoreError(
      `plug-in = ${JSON.stringify(specifier) ?? String(specifier)} is invalid`,
      "pass a package name such as '@dp/score-margin'",
      'plugin',
    );
  }
  const importer = options.importer ?? ((s: string) => import(/* @vite-ignore */ s));
  let mod: unknown;
  try {
    mod = await importer(specifier);
  } catch (e) {
    const msg = String((e as { message?: unknown } | null)?.message ?? e);
    const line = msg.split('\n')[0];
    // "Not installed" only when the missing module is the plug-in itself: a plug-in whose own dependency is
    // missing is installed, and its error names that dependency (and the plug-in's path, so mere inclusion of the
    // specifier in the message proves nothing).
    const missing = missingModule(msg);
    if (missing !== null && isThePlugin(missing, specifier)) {
      throw new ScoreError(
        `score plug-in '${specifier}' is not installed (${line})`,
        `npm install ${packageOf(specifier)}`,
        'plugin',
      );
    }
    throw new ScoreError(
      `score plug-in '${specifier}' failed to load: ${line}`,
      'fix or reinstall the plug-in package (and the packages it imports)',
      'plugin',
    );
  }
  const def = mod !== null && typeof mod === 'object' ? (mod as { default?: unknown }).default : undefined;
  if (def === undefined) {
    throw new ScoreError(
      `score plug-in '${specifier}' has no default export`,
      "export the Score object as the module's default export (export default myScore)",
      'plugin',
    );
  }
  return registerScore(validateScore(def, `the default export of '${specifier}'`));
}
