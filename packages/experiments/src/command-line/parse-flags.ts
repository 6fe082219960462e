import { parseArgs } from 'node:util';
import { ExperimentError } from '../errors.js';
import type { FlagSpec } from '../config/flags.js';

/** Parsed flags: each flag's value (a string, `true`, or a list for a `multiple` flag), and the positional arguments. */
export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * A command line parsed as every `dp` command parses it: node:util's parseArgs, strict, with positionals allowed;
 * unknown or malformed flags become one-line ExperimentErrors pointing at `dp <command> --help`. Two rules of its own:
 * `--seed -1` is read as `--seed=-1` (so the value reaches the range check, which names the allowed range), and an
 * empty value (`--out ""`, `--data-dir "$UNSET_VAR"`) is refused unless the flag is in `allowEmpty` (e.g. a title).
 */
export function parseFlags(
  argv: readonly string[],
  options: FlagSpec,
  command: string,
  allowEmpty: readonly string[] = [],
): ParsedFlags {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const spec = a.startsWith('--') && !a.includes('=') ? options[a.slice(2)] : undefined;
    if (spec?.type === 'string' && i + 1 < argv.length && /^-(\d|\.\d)/.test(argv[i + 1]!))
      args.push(`${a}=${argv[++i]!}`);
    else args.push(a);
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' ');
    throw new ExperimentError(`${msg}; fix: see \`dp ${command} --help\``);
  }
  // An empty value is never what was meant: it would silently fall back to the default (--resume "" trained a new
  // run, --data-dir "" searched the usual places) or fail late with a path-less ENOENT. Refused before anything loads.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (allowEmpty.includes(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && v.trim() === '') {
        throw new ExperimentError(
          `--${name} ${JSON.stringify(v)} is empty: expected a value; fix: give --${name} a value, or leave it out for its default (see \`dp ${command} --help\`)`,
        );
      }
    }
  }
  return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
}

/** A string flag's value, or undefined when it was not given. */
export function flagString(values: ParsedFlags['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
