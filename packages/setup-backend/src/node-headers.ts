import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `{ npm_config_nodedir }` pointing node-gyp at the headers installed beside this Node (Debian's nodejs package ships
 * them in /usr/include/node) when their version matches, so the binding builds offline; `{}` otherwise (node-gyp
 * then downloads them from nodejs.org), or when the user already set npm_config_nodedir.
 */
export function localNodeHeaders(
  env: NodeJS.ProcessEnv,
  execPath = process.execPath,
  version = process.version,
): { npm_config_nodedir?: string } {
  if (env.npm_config_nodedir) return {};
  const prefix = dirname(dirname(execPath));
  const file = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return {};
  return headerVersion(readFileSync(file, 'utf8')) === version ? { npm_config_nodedir: prefix } : {};
}

/** 'vMAJOR.MINOR.PATCH' from node_version.h's text, or null when it lacks one of the three defines. */
export function headerVersion(text: string): string | null {
  const part = (name: string) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  const [a, b, c] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return a && b && c ? `v${a}.${b}.${c}` : null;
}
