/**
 * TensorFlow's GraphDef and SavedModel messages, encoded with protobuf.ts (field numbers from
 * tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape,types}.proto and
 * tensorflow/core/protobuf/{saved_model,meta_graph}.proto). Only what an inference graph of constants needs.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorFlow DataType enum values. */
export const DT_FLOAT = 1;
export const DT_INT32 = 3;

/** A constant tensor: float32 or int32 values with their shape. */
export interface ConstTensor {
  dtype: typeof DT_FLOAT | typeof DT_INT32;
  shape: readonly number[];
  values: Float32Array | Int32Array;
}

/** One op attribute. */
export type Attr =
  | { type: number }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { s: string }
  | { ints: readonly number[] }
  | { strings: readonly string[] }
  | { shape: readonly number[] }
  | { tensor: ConstTensor };

/** One node of the graph: `inputs` are tensor names (`node` or `node:k`). */
export interface NodeSpec {
  name: string;
  op: string;
  inputs: readonly string[];
  attrs: Record<string, Attr>;
}

function shapeProto(dims: readonly number[]): Uint8Array {
  const w = new ProtoWriter();
  for (const d of dims) w.bytes(2, new ProtoWriter().int(1, d).finish());
  return w.finish();
}

function tensorProto(t: ConstTensor): Uint8Array {
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (n !== t.values.length)
    throw new RangeError(`tensor: shape [${t.shape.join(', ')}] holds ${n} values, got ${t.values.length}`);
  // tensor_content is the raw little-endian bytes (every platform tfjs-node runs on is little-endian).
  const content = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength).slice();
  return new ProtoWriter().intAlways(1, t.dtype).bytes(2, shapeProto(t.shape)).bytes(4, content).finish();
}

function attrProto(a: Attr): Uint8Array {
  const w = new ProtoWriter();
  if ('type' in a) w.intAlways(6, a.type);
  else if ('i' in a) w.intAlways(3, a.i);
  else if ('f' in a) w.float(4, a.f);
  else if ('b' in a) w.boolAlways(5, a.b);
  else if ('s' in a) w.string(2, a.s, true);
  else if ('ints' in a) w.bytes(1, new ProtoWriter().packed(3, a.ints).finish());
  else if ('strings' in a) {
    const list = new ProtoWriter();
    for (const s of a.strings) list.string(2, s, true);
    w.bytes(1, list.finish());
  } else if ('shape' in a) w.bytes(7, shapeProto(a.shape));
  else w.bytes(8, tensorProto(a.tensor));
  return w.finish();
}

function mapEntry(key: string, value: Uint8Array): Uint8Array {
  return new ProtoWriter().string(1, key, true).bytes(2, value).finish();
}

function nodeProto(node: NodeSpec): Uint8Array {
  const w = new ProtoWriter().string(1, node.name).string(2, node.op);
  for (const input of node.inputs) w.string(3, input, true);
  for (const key of Object.keys(node.attrs).sort()) w.bytes(5, mapEntry(key, attrProto(node.attrs[key]!)));
  return w.finish();
}

/** GraphDef bytes. `producer` is the graph version the nodes are written for. */
export function encodeGraphDef(nodes: readonly NodeSpec[], producer = 1205): Uint8Array {
  const w = new ProtoWriter();
  for (const node of nodes) w.bytes(1, nodeProto(node));
  w.bytes(4, new ProtoWriter().int(1, producer).finish());
  return w.finish();
}

/** The signature of one tensor: its graph name (`node:0`), dtype and shape (-1 = any size). */
export interface TensorSignature {
  name: string;
  dtype: number;
  shape: readonly number[];
}

function tensorInfo(t: TensorSignature): Uint8Array {
  return new ProtoWriter().string(1, t.name).intAlways(2, t.dtype).bytes(3, shapeProto(t.shape)).finish();
}

/**
 * A SavedModel (`saved_model.pb`) with one meta graph tagged `tag` and one signature `signatureKey`, mapping
 * `inputs` / `outputs` keys to graph tensors. No variables: every weight is a Const node of the graph.
 */
export function encodeSavedModel(
  nodes: readonly NodeSpec[],
  signature: { inputs: Record<string, TensorSignature>; outputs: Record<string, TensorSignature> },
  { tag = 'serve', signatureKey = 'serving_default' }: { tag?: string; signatureKey?: string } = {},
): Uint8Array {
  const sig = new ProtoWriter();
  for (const [k, t] of Object.entries(signature.inputs)) sig.bytes(1, mapEntry(k, tensorInfo(t)));
  for (const [k, t] of Object.entries(signature.outputs)) sig.bytes(2, mapEntry(k, tensorInfo(t)));
  sig.string(3, 'tensorflow/serving/predict');
  const metaInfo = new ProtoWriter().string(4, tag, true).finish();
  const meta = new ProtoWriter()
    .bytes(1, metaInfo)
    .bytes(2, encodeGraphDef(nodes))
    .bytes(5, mapEntry(signatureKey, sig.finish()))
    .finish();
  return new ProtoWriter().int(1, 1).bytes(2, meta).finish();
}
