/**
 * Native TensorFlow sessions for graphs built here: the graph is written as a SavedModel into a private temporary
 * folder and loaded into a session of tfjs-node's native backend, which runs it with TensorFlow's graph optimiser
 * (grappler, and oneDNN's rewrites where they are on). Requires the native `tensorflow` backend of
 * @tensorflow/tfjs-node (a ModelError otherwise).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import { encodeSavedModel, type NodeSpec, type TensorSignature } from './graph-def.js';

/** The part of tfjs-node's NodeJSKernelBackend that runs SavedModels. */
export interface SessionBackend {
  loadSavedModelMetaGraph(path: string, tags: string): number;
  runSavedModel(id: number, inputs: tf.Tensor[], inputInfos: { name: string }[], outputs: string[]): tf.Tensor[];
  deleteSavedModel(id: number): void;
}

/** The active backend as tfjs-node's native one; `fix` says what the caller can do on any other backend. */
export function sessionBackend(what: string, fix: string): SessionBackend {
  const backend = tf.backend() as unknown as Partial<SessionBackend>;
  if (
    tf.getBackend() !== 'tensorflow' ||
    typeof backend.loadSavedModelMetaGraph !== 'function' ||
    typeof backend.runSavedModel !== 'function'
  ) {
    throw new ModelError(
      `${what} needs the native TensorFlow backend of @tensorflow/tfjs-node, but the active backend is '${tf.getBackend()}'`,
      fix,
    );
  }
  return backend as SessionBackend;
}

/** Load `nodes` into a new session of `backend`, with the given signature; returns the session id. */
export async function loadSession(
  backend: SessionBackend,
  nodes: readonly NodeSpec[],
  signature: { inputs: Record<string, TensorSignature>; outputs: Record<string, TensorSignature> },
): Promise<number> {
  const bytes = encodeSavedModel(nodes, signature);
  const [{ mkdtemp, writeFile, rm }, { tmpdir }, { join }] = await Promise.all([
    import('node:fs/promises'),
    import('node:os'),
    import('node:path'),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'dp-graph-'));
  try {
    await writeFile(join(dir, 'saved_model.pb'), bytes);
    return backend.loadSavedModelMetaGraph(dir, 'serve');
  } finally {
    // TensorFlow has read the graph into the session; the folder is no longer needed.
    await rm(dir, { recursive: true, force: true });
  }
}
