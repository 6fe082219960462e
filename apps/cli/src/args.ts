import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking; unknown or malformed options become one-line CliErrors. */
export function parse(argv: string[], options: OptionSpec, command: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new CliError(`${msg}; fix: see \`dp ${command} --help\``);
  }
}

/** A numeric option: checks it parses and lies in [min, max] (integer if asked). */
export function num(
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false, maxOpen = false }: { min?: number; max?: number; integer?: boolean; maxOpen?: boolean } = {},
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const ok = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(v) && v >= min && (maxOpen ? v < max : v <= max) && (!integer || Number.isInteger(v));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const hi = max === Infinity ? '' : maxOpen ? ` and < ${max}` : ` and <= ${max}`;
    throw new CliError(`--${name} ${String(raw)} is invalid: expected ${kind} >= ${min}${hi}`);
  }
  return v;
}

export function str(values: Record<string, string | boolean | undefined>, name: string, fallback: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}
