import { distributedCheck } from '@dp/distributed';
import { diagnose, flagString } from '@dp/experiments';
import type { Command } from '../command.js';

export const doctor: Command = {
  name: 'doctor',
  summary: 'check the native backend and the default dataset',
  help: () => `Usage: dp doctor [--gpu] [--data-dir DIR]

Checks that training will run on the native TensorFlow backend and that the default dataset is found.
Exits 1 if training would fall back to the pure-JS cpu backend.
`,
  examples: ['dp doctor'],
  flags: { gpu: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  run: checkSetup,
};

async function checkSetup(values: Record<string, string | boolean | undefined>): Promise<number> {
  const dataDir = flagString(values, 'data-dir');
  const { rows, failure } = await diagnose({ gpu: Boolean(values.gpu), dataDir, checks: [distributedCheck] });
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(18)} ${v}\n`);
  if (failure) {
    process.stdout.write(`\nFAIL: ${failure.reason}.\n      fix: ${failure.fix}.\n`);
    return 1;
  }
  process.stdout.write('\nOK: training runs on the native TensorFlow backend.\n');
  return 0;
}
