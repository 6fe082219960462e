import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSetupBackend, SETUP_FLAGS, usage } from '@dp/setup-backend';
import type { Command } from '../command.js';

const PROG = 'dp setup-backend';

/** `dp setup-backend`: build the native backend of the tfjs-node this CLI loads (the logic is @dp/setup-backend). */
export const setupBackend: Command = {
  name: 'setup-backend',
  summary: 'build the native TensorFlow backend, offline if need be',
  help: () => usage(PROG),
  examples: [
    'dp setup-backend',
    'dp setup-backend --offline   # skip the download; build from the tensorflow-cpu wheel',
  ],
  flags: SETUP_FLAGS,
  run: async (values) => runSetupBackend(values, { from: dirname(fileURLToPath(import.meta.url)), prog: PROG }),
};
