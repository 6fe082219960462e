import type { LayersModel } from '@tensorflow/tfjs-layers';
import { cnnSmallEntry } from './cnn-small.js';
import { ModelError } from './errors.js';
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
  if (!entry) throw new ModelError(`unknown model '${name}': known models are ${modelNames().join(', ')}`);
  if (!Number.isInteger(opts.numClasses) || opts.numClasses < 2) {
    throw new ModelError(`numClasses = ${opts.numClasses} is invalid: expected an integer >= 2`);
  }
  const [h, w, c] = opts.inputShape;
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelError(`inputShape = [${opts.inputShape.join(', ')}] is invalid: expected three positive integers [height, width, channels]`);
  }
  return entry.build(opts);
}

registerModel(cnnSmallEntry);
