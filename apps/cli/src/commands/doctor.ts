import { nativeStatus } from '@dp/distributed';
import { diagnose } from '@dp/experiments';
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
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const { rows, failure } = await diagnose({ gpu: Boolean(values.gpu), dataDir });
  rows.push(['distributed', distributedLine()]);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(18)} ${v}\n`);
  if (failure) {
    process.stdout.write(`\nFAIL: ${failure.reason}.\n      fix: ${failure.fix}.\n`);
    return 1;
  }
  process.stdout.write('\nOK: training runs on the native TensorFlow backend.\n');
  return 0;
}

/** Whether @dp/distributed's native addon loads (multi-worker training: dp launch, TF_CONFIG), and why not. */
function distributedLine(): string {
  const s = nativeStatus();
  return s.ok
    ? `addon loads (TensorFlow ${s.tensorflow} collectives): dp launch and TF_CONFIG workers available`
    : `unavailable (one-process training is unaffected): ${s.reason}`;
}
