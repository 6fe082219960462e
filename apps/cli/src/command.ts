import type { FlagSpec } from '@dp/experiments';

/**
 * One `dp` command: what dispatch, `dp help`, `dp help <name>` / `dp <name> --help` and "did you mean" are generated
 * from (commands/index.ts lists them). A command parses its flags (done by main), calls the library and prints.
 */
export interface Command {
  name: string;
  /** One line for the `dp help` listing. */
  summary: string;
  /** The help text before its examples: usage line, description, options. */
  help(): string;
  examples: readonly string[];
  /** Its flags (parseArgs options; `--help` is added). */
  flags: FlagSpec;
  /** Flags where an empty value is a value (e.g. a title). */
  allowEmpty?: readonly string[];
  /** Takes positional arguments (else one is refused). */
  positionals?: boolean;
  /** Runs it with the parsed flags; returns the exit code. */
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/** The whole help of a command: its text, then its examples. */
export function commandHelp(c: Command): string {
  return `${c.help()}\nExamples:\n${c.examples.map((e) => `  ${e}`).join('\n')}\n`;
}
