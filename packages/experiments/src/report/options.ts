import { knownMethod } from '../config/methods.js';

/**
 * A run's policy options without those at their default values, so that `epsilon=0.1` (ε-greedy's default) and no
 * option at all are one method. The defaults are the method's own, as its policy declares them (methodInfo); a
 * policy this process does not know (a plug-in that is not loaded) keeps its options as they are.
 */
export function effectiveOptions(policy: string, options: Record<string, unknown>): Record<string, unknown> {
  const defaults = knownMethod(policy)?.defaults;
  if (!defaults) return { ...options };
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => !(k in defaults && defaults[k] === v)));
}
