import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExperimentError } from '@dp/experiments';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking; unknown or malformed options become one-line ExperimentErrors. */
export function parse(
  argv: string[],
  options: OptionSpec,
  command: string,
  allowEmpty: readonly string[] = [],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  // `--seed -1`: parseArgs takes a value that starts with a dash for another option; join it (`--seed=-1`) so the
  // value reaches the range check, which names the allowed range.
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
  // An empty value (`--out ""`, `--data-dir "$UNSET_VAR"`) is never what was meant: it would silently fall back to
  // the default (--resume "" trained a new run, --data-dir "" searched the usual places) or fail late with a path-less
  // ENOENT. Refused here, before anything loads; `allowEmpty` lists the options where empty is a value (a title).
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
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

export function str(values: Record<string, string | boolean | undefined>, name: string, fallback: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}
