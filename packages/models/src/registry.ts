import type { LayersModel } from '@tensorflow/tfjs-layers';
import { cnnSmallEntry } from './cnn-small.js';
import { mlpEntry } from './mlp.js';
import { Registry } from '@dp/internal/registry';
import { ModelError } from './errors.js';
import { checkOptions } from './options.js';
import { cifarResNetEntries, resNetEntries } from './resnet-entries.js';
import type { ModelEntry, ModelOptions } from './types.js';

const models = new Registry<ModelEntry>('model', 'unregisterModel', (r) => new ModelError(r.problem, r.fix, r));

/**
 * Register a model under its name (the CLI's --model). Registering the very same entry again is a no-op; a different
 * entry under a taken name is a ModelError (unregisterModel(name) first to replace one on purpose).
 */
export function registerModel(entry: ModelEntry): void {
  models.register(entry);
}

/** Remove the model registered as `name` (a built-in too); whether there was one. */
export function unregisterModel(name: string): boolean {
  return models.unregister(name);
}

export function modelNames(): string[] {
  return models.names();
}

export function modelEntries(): ModelEntry[] {
  return models.values();
}

/** Build the model registered as `name`; unknown names and bad options are ModelErrors. */
export function buildModel(name: string, opts: ModelOptions): LayersModel {
  const entry = models.get(name);
  if (!entry)
    throw new ModelError(
      `unknown model '${name}': known models are ${modelNames().join(', ')}`,
      `use one of those names`,
    );
  checkOptions(opts);
  return entry.build(opts);
}

registerModel(cnnSmallEntry);
registerModel(mlpEntry);
for (const entry of [...cifarResNetEntries, ...resNetEntries]) registerModel(entry);
