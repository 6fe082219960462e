/**
 * A GraphDef under construction: nodes with unique, TensorFlow-valid names, and the constants every graph
 * translation needs (float32 tensors, int32 vectors, scalars). Shared by the inference graph (from-layers.ts) and
 * the training-step graph (train-graph.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { DT_FLOAT, DT_INT32, type Attr, type NodeSpec } from './graph-def.js';

/** The float32 type attribute most ops take as `T`. */
export const T: Attr = { type: DT_FLOAT };
/** The int32 type attribute. */
export const INT32: Attr = { type: DT_INT32 };

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  private readonly names = new Set<string>();

  /** A name no node has yet, made from `base` (characters TensorFlow refuses become '_'). */
  unique(base: string): string {
    let name = base.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9.]/, 'n');
    if (this.names.has(name)) {
      let i = 1;
      while (this.names.has(`${name}_${i}`)) i++;
      name = `${name}_${i}`;
    }
    this.names.add(name);
    return name;
  }

  /** Add a node; returns its name (its first output). */
  add(base: string, op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    const name = this.unique(base);
    this.nodes.push({ name, op, inputs, attrs });
    return name;
  }

  /** A float32 constant holding a snapshot of `t`. */
  constF(base: string, t: tf.Tensor | { shape: readonly number[]; values: Float32Array }): string {
    const values = 'dataSync' in t ? new Float32Array(t.dataSync()) : t.values;
    return this.add(base, 'Const', [], {
      dtype: T,
      value: { tensor: { dtype: DT_FLOAT, shape: [...t.shape], values } },
    });
  }

  /** A float32 scalar constant. */
  scalarF(base: string, v: number): string {
    return this.constF(base, { shape: [], values: Float32Array.of(v) });
  }

  /** An int32 constant. */
  constI(base: string, shape: readonly number[], values: readonly number[]): string {
    return this.add(base, 'Const', [], {
      dtype: INT32,
      value: { tensor: { dtype: DT_INT32, shape, values: Int32Array.from(values) } },
    });
  }

  /** A float32 placeholder of `shape` (-1 = any size). */
  placeholder(base: string, shape: readonly number[], dtype: Attr = T): string {
    return this.add(base, 'Placeholder', [], { dtype, shape: { shape } });
  }
}
