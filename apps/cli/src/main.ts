import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataError } from '@dp/data';
import { ModelError } from '@dp/models';
import { PrunerError } from '@dp/policies';
import { ScoreError } from '@dp/scores';
import { TrainError } from '@dp/trainer';
import { benchCommand } from './commands/bench.js';
import { compareCommand } from './commands/compare.js';
import { doctor } from './commands/doctor.js';
import { reportCommand } from './commands/report.js';
import { scoreCommand } from './commands/score.js';
import { setupBackendCommand } from './commands/setup-backend.js';
import { trainCommand } from './commands/train.js';
import { CliError } from './errors.js';
import { describeFsError } from './fs.js';

const HELP = `dp: dynamic data pruning for TensorFlow.js training

Usage: dp <command> [options]      dp help <command>      dp --version

Commands:
  compare   full data vs. dynamic pruning, side by side, with a report (dp compare --help)
  train     train a model with a data-pruning policy                   (dp train --help)
  bench     a resumable sweep of policies x ratios x seeds              (dp bench --help)
  score     static scores (EL2N, GraNd, forgetting, ...) with their cost  (dp score --help)
  report    Markdown + HTML report of finished runs                      (dp report --help)
  doctor    check the native backend and the default dataset            (dp doctor --help)
  setup-backend  build the native TensorFlow backend, offline if need be  (dp setup-backend --help)

Examples:
  dp compare
  dp train --dataset fashion-mnist --model cnn-small --epochs 3
  dp train --policy random --prune-ratio 0.5 --epochs 6
  dp bench --results results/sweep.jsonl --policies full,random,ucb --ratios 0.5,0.7 --seeds 0,1,2
  dp report results/sweep.jsonl --out reports/sweep
  dp doctor
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  compare: compareCommand,
  train: trainCommand,
  bench: benchCommand,
  score: scoreCommand,
  report: reportCommand,
  doctor,
  'setup-backend': setupBackendCommand,
};

/** Run the CLI; returns the exit code. User errors print one line, never a bare stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  // `dp help train` is `dp train --help`.
  if (command === 'help' && rest.length > 0 && rest[0]! in COMMANDS) return main([rest[0]!, '--help']);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    const near = closest(command, Object.keys(COMMANDS));
    process.stderr.write(`dp: error: unknown command '${command}'; fix: ${near ? `did you mean \`dp ${near}\`? ` : ''}use one of ${Object.keys(COMMANDS).join(', ')} (dp --help)\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof CliError || e instanceof DataError || e instanceof ModelError || e instanceof PrunerError || e instanceof ScoreError || e instanceof TrainError) {
      process.stderr.write(`dp: error: ${errorLine(e.message, command)}\n`);
      return e instanceof CliError ? e.exitCode : 2;
    }
    const fsError = describeFsError(e);
    if (fsError) {
      process.stderr.write(`dp: error: ${errorLine(fsError, command)}\n`);
      return 1;
    }
    throw e;
  }
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
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { name?: string; version?: string };
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
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  const scored = candidates.map((c) => ({ c, d: dist(word.toLowerCase(), c) })).filter((x) => x.d <= 2).sort((x, y) => x.d - y.d);
  return scored.length && (scored.length === 1 || scored[0]!.d < scored[1]!.d) ? scored[0]!.c : undefined;
}
