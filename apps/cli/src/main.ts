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
import { trainCommand } from './commands/train.js';
import { CliError } from './errors.js';
import { describeFsError } from './fs.js';

const HELP = `dp: dynamic data pruning for TensorFlow.js training

Usage: dp <command> [options]

Commands:
  compare   full data vs. dynamic pruning, side by side, with a report (dp compare --help)
  train     train a model with a data-pruning policy                   (dp train --help)
  bench     a resumable sweep of policies x ratios x seeds              (dp bench --help)
  score     static scores (EL2N, GraNd, forgetting, ...) with their cost  (dp score --help)
  report    Markdown + HTML report of finished runs                      (dp report --help)
  doctor    check the native backend and the default dataset            (dp doctor --help)

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
};

/** Run the CLI; returns the exit code. User errors print one line, never a bare stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`dp: error: unknown command '${command}'; fix: use one of ${Object.keys(COMMANDS).join(', ')} (dp --help)\n`);
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
