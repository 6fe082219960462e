/**
 * The edge to tfjs-node's native TensorFlow: run any TensorFlow op by name on the active `tensorflow` backend
 * (tfjs-node's NodeJSKernelBackend), with typed op attributes. Everything here is specific to tfjs-node; on any
 * other backend `nativeBackend()` throws a ModelError that names the backend and the way out (the reference path,
 * chosen explicitly by the caller: this module never falls back silently).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';

/** The attribute-type and dtype codes of tfjs-node's binding (TF_ATTR_* / TF_DataType values). */
interface Binding {
  TF_FLOAT: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_STRING: number;
}

/** One TensorFlow op attribute as tfjs-node's binding takes it. */
export interface OpAttr {
  name: string;
  type: number;
  value: number | boolean | string;
}

/** The part of tfjs-node's NodeJSKernelBackend used here. */
export interface NativeBackend {
  readonly binding: Binding;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

/** The active backend as tfjs-node's native backend; a clear ModelError on any other backend. */
export function nativeBackend(): NativeBackend {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  if (name !== 'tensorflow' || typeof backend.executeMultipleOutputs !== 'function' || backend.binding == null) {
    throw new ModelError(
      `the fused kernels need the native TensorFlow backend of @tensorflow/tfjs-node, but the active backend is '${name}'`,
      "import '@tensorflow/tfjs-node' (and keep tf.setBackend('tensorflow')), or build the model with batchNorm = 'reference'",
    );
  }
  return backend as NativeBackend;
}

/** Typed attribute builders for one backend. */
export function attrs(backend: NativeBackend) {
  const b = backend.binding;
  return {
    float32Type: (name: string): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }),
    float: (name: string, value: number): OpAttr => ({ name, type: b.TF_ATTR_FLOAT, value }),
    bool: (name: string, value: boolean): OpAttr => ({ name, type: b.TF_ATTR_BOOL, value }),
    string: (name: string, value: string): OpAttr => ({ name, type: b.TF_ATTR_STRING, value }),
  };
}

/** Throw a ModelError unless every tensor is float32 (the fused kernels are registered for float32 here). */
export function requireFloat32(op: string, tensors: Record<string, tf.Tensor>): void {
  for (const [field, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32')
      throw new ModelError(
        `${op}: ${field}.dtype = '${t.dtype}' is invalid: expected 'float32'`,
        `cast ${field} to float32 (tf.cast(${field}, 'float32'))`,
      );
  }
}
