/**
 * What every translation of a tfjs-layers model into a TensorFlow graph checks and reads the same way (the inference
 * graph, from-layers.ts, and the training-step graph, train-graph.ts): one input and one output of known shape,
 * each layer applied once to tensors earlier layers produced, a layer's weight by name, and Conv2D's attributes.
 * `what` names the translation in errors ("inference graph"), `fix` is the way out for an unsupported model.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { T } from './builder.js';
import type { Attr } from './graph-def.js';

type Config = Record<string, unknown>;

/** An integer or a pair of integers (kernel sizes, strides, dilations) as a pair. */
export function pair(v: unknown, field: string, layer: string, fix: string): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => Number.isInteger(x)))
    throw new ModelError(
      `layer '${layer}': ${field} = ${JSON.stringify(v)} is not supported: expected an integer or a pair`,
      fix,
    );
  return [a[0] as number, a[1] as number];
}

/** The model's input symbol and its shape without the batch dimension; a ModelError unless one input and one output. */
export function modelInput(
  model: tfl.LayersModel,
  what: string,
  fix: string,
): { input: tfl.SymbolicTensor; shape: number[] } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelError(
      `${what}: the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; supported: exactly one of each`,
      fix,
    );
  }
  const input = model.inputs[0]!;
  const shape = input.shape.slice(1).map((d) => {
    if (d == null) throw new ModelError(`${what}: the input shape must be fully known (except the batch size)`, fix);
    return d;
  });
  return { input, shape };
}

/** The layer's input symbols and their graph tensor names (`tensorName`: SymbolicTensor id -> graph tensor). */
export function layerInputs(
  layer: tfl.layers.Layer,
  tensorName: ReadonlyMap<number, string>,
  what: string,
  fix: string,
): { ins: tfl.SymbolicTensor[]; names: string[] } {
  if (layer.inboundNodes.length !== 1) {
    throw new ModelError(
      `${what}: layer '${layer.name}' is applied ${layer.inboundNodes.length} times; supported: once`,
      fix,
    );
  }
  const ins = (Array.isArray(layer.input) ? layer.input : [layer.input]) as tfl.SymbolicTensor[];
  const names = ins.map((s) => {
    const n = tensorName.get(s.id);
    if (n === undefined)
      throw new ModelError(`${what}: the input of layer '${layer.name}' is not produced by an earlier layer`, fix);
    return n;
  });
  return { ins, names };
}

/** The layer's weight named `<layer>/<suffix>` (tfjs may add a numeric suffix to the full name, not the original). */
export function findWeight(layer: tfl.layers.Layer, suffix: string): tfl.LayerVariable | undefined {
  return layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`) || w.name.endsWith(`/${suffix}`));
}

/** The attributes of TensorFlow's Conv2D (and its gradients) for a channels-last tfjs Conv2D layer's config. */
export function convAttrs(cfg: Config, layer: string, fix: string): Record<string, Attr> {
  if (cfg['dataFormat'] !== 'channelsLast')
    throw new ModelError(
      `layer '${layer}': dataFormat '${String(cfg['dataFormat'])}' is not supported: channelsLast only`,
      fix,
    );
  const [sh, sw] = pair(cfg['strides'], 'strides', layer, fix);
  const [dh, dw] = pair(cfg['dilationRate'], 'dilationRate', layer, fix);
  const padding = String(cfg['padding']).toUpperCase();
  if (padding !== 'SAME' && padding !== 'VALID')
    throw new ModelError(`layer '${layer}': padding '${String(cfg['padding'])}' is not supported`, fix);
  return {
    T,
    strides: { ints: [1, sh, sw, 1] },
    padding: { s: padding },
    data_format: { s: 'NHWC' },
    dilations: { ints: [1, dh, dw, 1] },
    use_cudnn_on_gpu: { b: true },
  };
}

/** TensorFlow's MaxPool (and MaxPoolGrad) attributes, channels last. */
export function poolAttrs(ksize: [number, number], strides: [number, number], padding: string): Record<string, Attr> {
  return {
    T,
    ksize: { ints: [1, ksize[0], ksize[1], 1] },
    strides: { ints: [1, strides[0], strides[1], 1] },
    padding: { s: padding },
    data_format: { s: 'NHWC' },
  };
}

/** The MaxPool attributes of a tfjs MaxPooling2D layer's config (strides default to the pool size). */
export function maxPoolingAttrs(cfg: Config, layer: string, fix: string): Record<string, Attr> {
  const k = pair(cfg['poolSize'], 'poolSize', layer, fix);
  const s = pair(cfg['strides'] ?? cfg['poolSize'], 'strides', layer, fix);
  return poolAttrs(k, s, String(cfg['padding']).toUpperCase());
}

/** A ZeroPadding2D layer's padding as the [4, 2] paddings of TensorFlow's Pad (NHWC: none on batch and channels). */
export function zeroPaddings(cfg: Config): number[] {
  const p = cfg['padding'] as [[number, number], [number, number]];
  return [0, 0, p[0][0], p[0][1], p[1][0], p[1][1], 0, 0];
}

/**
 * A PadShortcut (option-A shortcut) layer: the spatial subsampling stride, and the channel paddings of TensorFlow's
 * Pad ([4, 2], the extra channels split as PadShortcut splits them: the smaller half first) or null when the output
 * has no more channels than the input.
 */
export function padShortcut(cfg: Config, input: tfl.SymbolicTensor): { stride: number; paddings: number[] | null } {
  const extra = (cfg['outChannels'] as number) - input.shape[3]!;
  const before = extra >> 1;
  return {
    stride: cfg['stride'] as number,
    paddings: extra > 0 ? [0, 0, 0, 0, 0, 0, before, extra - before] : null,
  };
}

/**
 * The [height, width, channels] of a batch norm's input; a ModelError unless the layer normalises the last axis of
 * a rank-4 input (channels last), the only layout TensorFlow's FusedBatchNormV3 takes here.
 */
export function batchNormShape(
  cfg: Config,
  input: tfl.SymbolicTensor,
  layer: string,
  fix: string,
): [number, number, number] {
  const rank = input.rank;
  const axis = (cfg['axis'] as number) < 0 ? (cfg['axis'] as number) + rank : (cfg['axis'] as number);
  if (axis !== rank - 1 || rank !== 4)
    throw new ModelError(
      `layer '${layer}': batch norm over axis ${String(cfg['axis'])} of a rank-${rank} input is not supported: channels last of rank 4 only`,
      fix,
    );
  return input.shape.slice(1) as [number, number, number];
}

/** A ModelError unless a Dense layer's input is rank 2 (batch, features): the graphs translate it to one MatMul. */
export function checkDenseInput(input: tfl.SymbolicTensor, layer: string, fix: string): void {
  if (input.rank !== 2)
    throw new ModelError(`layer '${layer}': Dense on a rank-${input.rank} input is not supported: rank 2 only`, fix);
}

/** A ModelError for a ReLU layer with a maxValue (a clipped ReLU): the graphs have plain Relu only. */
export function checkPlainRelu(cfg: Config, layer: string, what: string, fix: string): void {
  if (cfg['maxValue'] != null)
    throw new ModelError(`layer '${layer}': ReLU with maxValue is not supported by the ${what}`, fix);
}
