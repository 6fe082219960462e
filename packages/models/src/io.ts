/**
 * Saving and loading through tfjs' IO handlers (`file://` once the application imported tfjs-node; this
 * library never imports it). Loading weights checks that the file's architecture is the model's.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import './shortcut-a.js'; // registers the custom layers before any model is deserialised

const noHandler = (kind: string, url: string) =>
  new ModelError(
    `no ${kind} handler for '${url}': for file:// URLs the application must import '@tensorflow/tfjs-node' first`,
    "import '@tensorflow/tfjs-node' before saving or loading file:// URLs",
  );

/** Save topology and weights (e.g. `file:///path/to/dir` writes model.json + weights.bin). */
export async function saveModel(model: tfl.LayersModel, url: string): Promise<tf.io.SaveResult> {
  if (tf.io.getSaveHandlers(url).length === 0) throw noHandler('save', url);
  return model.save(url);
}

/** Load a model saved with `saveModel` / `model.save` (e.g. `file:///path/to/dir/model.json`). */
export async function loadModel(url: string): Promise<tfl.LayersModel> {
  if (tf.io.getLoadHandlers(url).length === 0) throw noHandler('load', url);
  try {
    return await tfl.loadLayersModel(url);
  } catch (e) {
    throw new ModelError(
      `cannot load a model from '${url}': ${(e as Error).message}`,
      'check the URL points at a model.json written by saveModel (or model.save)',
    );
  }
}

interface Spec {
  name: string;
  shape: number[];
}

/** The first difference between the file's weights and the model's, or undefined when they match. */
function firstDifference(file: readonly Spec[], model: readonly Spec[]): string | undefined {
  const inFile = new Map(file.map((s) => [s.name, s.shape]));
  for (const w of model) {
    const shape = inFile.get(w.name);
    if (!shape) return `the model's weight '${w.name}' is not in the file`;
    if (shape.join() !== w.shape.join())
      return `'${w.name}' is [${shape.join(', ')}] in the file but [${w.shape.join(', ')}] in the model`;
  }
  if (file.length !== model.length) {
    const names = new Set(model.map((w) => w.name));
    const extra = file.find((s) => !names.has(s.name));
    return `the file has ${file.length} weights and the model ${model.length}${extra ? ` (e.g. '${extra.name}' is not in the model)` : ''}`;
  }
  return undefined;
}

/**
 * Load the weights saved at `url` into `model` (same architecture and options: names and shapes must match).
 * A file from another architecture is a ModelError naming both models and the first difference.
 */
export async function loadWeights(model: tfl.LayersModel, url: string): Promise<void> {
  const handler = tf.io.getLoadHandlers(url)[0];
  if (!handler?.load) throw noHandler('load', url);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    throw new ModelError(
      `cannot read weights from '${url}': ${(e as Error).message}`,
      'check the URL points at a model.json with its weights files beside it',
    );
  }
  const specs = artifacts.weightSpecs ?? [];
  if (!artifacts.weightData || specs.length === 0)
    throw new ModelError(`'${url}' holds no weights`, 'save the model with its weights (saveModel), then load that');
  const topology = artifacts.modelTopology as { config?: { name?: string } } | undefined;
  const fileModel = topology?.config?.name ?? 'unknown';
  const expected = model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[] }));
  // A model saved with includeOptimizer also holds the optimizer's slots: they are not model weights.
  const diff = firstDifference(
    specs.filter((s) => s.group !== 'optimizer'),
    expected,
  );
  if (diff) {
    throw new ModelError(
      `weights in '${url}' do not fit: they are from '${fileModel}' and the model is '${model.name}' (different architecture or options): ${diff}`,
      'load weights saved from the same model and options (architecture, width, stem, batchNorm)',
    );
  }
  const named = tf.io.decodeWeights(artifacts.weightData, specs);
  try {
    model.setWeights(expected.map((w) => named[w.name]!));
  } finally {
    tf.dispose(Object.values(named));
  }
}
