import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closest, ExperimentError, explainError, parseFlags } from '@dp/experiments';
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
    const { values, positionals } = parseFlags(
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
    // A user error or a file-system error is one line with a fix; anything else is a bug, shown with its stack.
    const shown = explainError(e, name);
    if (!shown) throw e;
    process.stderr.write(`dp: error: ${shown.line}\n`);
    return shown.exitCode;
  }
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
