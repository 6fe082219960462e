import type { LayersModel } from '@tensorflow/tfjs-layers';
import { cnnSmallEntry } from './cnn-small.js';
import { ModelError } from './errors.js';
import { checkOptions } from './options.js';
import { cifarResNetEntries, resNetEntries } from './resnet-entries.js';
import type { ModelEntry, ModelOptions } from './types.js';

const models = new Map<string, ModelEntry>();

export function registerModel(entry: ModelEntry): void {
  models.set(entry.name, entry);
}

export function modelNames(): string[] {
  return [...models.keys()];
}

export function modelEntries(): ModelEntry[] {
  return [...models.values()];
}

/** Build the model registered as `name`; unknown names and bad options are ModelErrors. */
export function buildModel(name: string, opts: ModelOptions): LayersModel {
  const entry = models.get(name);
  if (!entry) throw new ModelError(`unknown model '${name}': known models are ${modelNames().join(', ')}`, `use one of those names`);
  checkOptions(opts);
  return entry.build(opts);
}

registerModel(cnnSmallEntry);
for (const entry of [...cifarResNetEntries, ...resNetEntries]) registerModel(entry);
