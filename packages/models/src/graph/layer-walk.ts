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
