import { DataError } from '@dp/data';
import { ModelError } from '@dp/models';
import { PrunerError } from '@dp/policies';
import { TrainError } from '@dp/trainer';
import { doctor } from './commands/doctor.js';
import { trainCommand } from './commands/train.js';
import { CliError } from './errors.js';

const HELP = `dp: dynamic data pruning for TensorFlow.js training

Usage: dp <command> [options]

Commands:
  train     train a model with a data-pruning policy        (dp train --help)
  doctor    check the native backend and the default dataset (dp doctor --help)

Examples:
  dp doctor
  dp train --dataset fashion-mnist --model cnn-small --epochs 3
  dp train --policy random --prune-ratio 0.5 --epochs 6
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { train: trainCommand, doctor };

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
    if (e instanceof CliError || e instanceof DataError || e instanceof ModelError || e instanceof PrunerError || e instanceof TrainError) {
      process.stderr.write(`dp: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
