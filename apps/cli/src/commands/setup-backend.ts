import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupBackendMain } from '@dp/setup-backend';

/** `dp setup-backend`: build the native backend of the tfjs-node this CLI loads (the logic is @dp/setup-backend). */
export async function setupBackendCommand(argv: string[]): Promise<number> {
  return setupBackendMain(argv, { from: dirname(fileURLToPath(import.meta.url)), prog: 'dp setup-backend' });
}
