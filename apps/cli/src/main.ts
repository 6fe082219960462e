import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeFsError, ExperimentError } from '@dp/experiments';
import { isDpError } from '@dp/trainer';
import { parse } from './args.js';
import { commandHelp, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';

/** `dp help`: generated from the command table. */
function topHelp(): string {
  const nameWidth = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const width = Math.max(...COMMANDS.map((c) => c.summary.length));
  return `dp: dynamic data pruning for TensorFlow.js training

Usage: dp <command> [options]      dp help <command>      dp --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(nameWidth)}${c.summary.padEnd(width)}  (dp ${c.name} --help)`).join('\n')}

Examples:
${COMMANDS.map((c) => `  ${c.examples[0]!.replace(/\s+#.*$/, '')}`).join('\n')}
`;
}

const byName = (name: string | undefined): Command | undefined => COMMANDS.find((c) => c.name === name);

/** Run the CLI; returns the exit code. User errors print one line, never a bare stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  // `dp help train` is `dp train --help`.
  if (name === 'help' && byName(rest[0])) return main([rest[0]!, '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return name ? 0 : 2;
  }
  const command = byName(name);
  if (!command) {
    const names = COMMANDS.map((c) => c.name);
    const near = closest(name, names);
    process.stderr.write(
      `dp: error: unknown command '${name}'; fix: ${near ? `did you mean \`dp ${near}\`? ` : ''}use one of ${names.join(', ')} (dp --help)\n`,
    );
    return 2;
  }
  try {
    const { values, positionals } = parse(
      rest,
      { ...command.flags, help: { type: 'boolean', short: 'h' } },
      name,
      command.allowEmpty,
    );
    if (values.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    if (positionals.length && !command.positionals)
      throw new ExperimentError(`unexpected argument '${positionals[0]}'; fix: see \`dp ${name} --help\``);
    return await command.run(values, positionals);
  } catch (e) {
    if (isUserError(e)) {
      process.stderr.write(`dp: error: ${errorLine(e.message, name)}\n`);
      return typeof e.exitCode === 'number' ? e.exitCode : 2;
    }
    const fsError = describeFsError(e);
    if (fsError) {
      process.stderr.write(`dp: error: ${errorLine(fsError, name)}\n`);
      return 1;
    }
    throw e;
  }
}

/** JavaScript's own error classes: a bug, printed with its stack. */
const BUILTIN = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/**
 * An error a package raises about its input (ExperimentError, DataError, ModelError, PrunerError, ScoreError,
 * TrainError, ...): an Error of a named class of its own, recognised by shape rather than by class, so a second copy of
 * a package (or a new error class) needs no change here.
 */
function isUserError(e: unknown): e is Error & { exitCode?: number } {
  // Every dp package's errors carry the DpError brand (some also a TensorFlow status `code`, e.g. DistributedError).
  if (isDpError(e)) return true;
  return (
    e instanceof Error &&
    !BUILTIN.has(e.name) &&
    /Error$/.test(e.name) &&
    typeof (e as { code?: unknown }).code !== 'string'
  );
}

/**
 * The error as the one line every `dp: error:` is: line breaks collapsed, and a fix. The errors dp and its packages
 * raise name their own fix; one that does not (a library error reached in a way nobody foresaw) still points at the
 * command's help rather than leaving the user with the problem alone.
 */
export function errorLine(message: string, command: string): string {
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  return /(^|; |\. )fix: /.test(line) ? line : `${line}; fix: see \`dp ${command} --help\``;
}

/** The CLI package's version, from its package.json (one level above dist/). */
function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return `${pkg.name ?? 'dp'} ${pkg.version ?? 'unknown'}`;
  } catch {
    return 'dp (version unknown)';
  }
}

/** The candidate within edit distance 2 of `word` (the nearest; none if two are equally near), for "did you mean". */
export function closest(word: string, candidates: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++)
        cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  const scored = candidates
    .map((c) => ({ c, d: dist(word.toLowerCase(), c) }))
    .filter((x) => x.d <= 2)
    .sort((x, y) => x.d - y.d);
  return scored.length && (scored.length === 1 || scored[0]!.d < scored[1]!.d) ? scored[0]!.c : undefined;
}
