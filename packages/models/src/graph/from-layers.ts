/**
 * Translate a tfjs-layers model into a TensorFlow inference graph (NodeSpec[]): every weight becomes a Const node
 * (a snapshot of its current value), batch norm runs in inference mode (`FusedBatchNormV3`, is_training = false,
 * with the moving statistics), dropout is the identity. TensorFlow's graph optimiser (grappler) then fuses
 * conv + batch norm + ReLU into one kernel, which tfjs' op-by-op (eager) execution cannot do.
 *
 * Supported layers: the ones @dp/models builds — InputLayer, Conv2D, ZeroPadding2D, BatchNormalization /
 * FusedBatchNormalization (channels last), ReLU / FusedReLU, Activation (linear, relu, softmax), Add,
 * PadShortcut, MaxPooling2D, GlobalAveragePooling2D, Flatten, Dense, Dropout. Any other layer is a ModelError
 * that names it (the reference path, model.predict, runs everything).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { DT_INT32, type NodeSpec } from './graph-def.js';
import { GraphBuilder, T } from './builder.js';
import * as walk from './layer-walk.js';

/** The fix of every model the inference graph cannot express: evaluate it the reference way. */
const REFERENCE_FIX = "evaluate this model with inference = 'reference' (model.predict)";
const WHAT = 'inference graph';

export interface InferenceGraph {
  nodes: NodeSpec[];
  /** Graph name of the input tensor (float32, [batch, ...inputShape]). */
  input: string;
  /** Graph name of the output tensor. */
  output: string;
  /** Input shape without the batch dimension. */
  inputShape: number[];
  /** Output shape without the batch dimension. */
  outputShape: number[];
}

type Config = Record<string, unknown>;

/** The model's single input and output, and its layers in topological order. */
export function inferenceGraph(model: tfl.LayersModel): InferenceGraph {
  const { input: inputSym, shape: inputShape } = walk.modelInput(model, WHAT, REFERENCE_FIX);
  const g = new GraphBuilder();
  const add = g.add.bind(g);
  const constF = g.constF.bind(g);
  const constI = g.constI.bind(g);
  const tensorName = new Map<number, string>(); // SymbolicTensor id -> graph tensor name

  const input = g.placeholder('input', [-1, ...inputShape]);
  tensorName.set(inputSym.id, input);

  const activation = (base: string, x: string, act: unknown, layer: string): string => {
    if (act === 'linear' || act == null) return x;
    if (act === 'relu') return add(`${base}/relu`, 'Relu', [x], { T });
    if (act === 'softmax') return add(`${base}/softmax`, 'Softmax', [x], { T });
    throw new ModelError(
      `layer '${layer}': activation '${String(act)}' is not supported by the inference graph`,
      REFERENCE_FIX,
    );
  };
  const weight = (layer: tfl.layers.Layer, suffix: string): tf.Tensor | null =>
    walk.findWeight(layer, suffix)?.read() ?? null;

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const { ins, names: x } = walk.layerInputs(layer, tensorName, WHAT, REFERENCE_FIX);
    const cfg = layer.getConfig() as Config;
    const base = layer.name;
    const x0 = x[0]!;
    let out: string;
    switch (cls) {
      case 'Conv2D': {
        const k = constF(`${base}/kernel`, weight(layer, 'kernel')!);
        out = add(base, 'Conv2D', [x0, k], walk.convAttrs(cfg, base, REFERENCE_FIX));
        if (cfg['useBias'])
          out = add(`${base}/bias_add`, 'BiasAdd', [out, constF(`${base}/bias`, weight(layer, 'bias')!)], {
            T,
            data_format: { s: 'NHWC' },
          });
        out = activation(base, out, cfg['activation'], base);
        break;
      }
      case 'ZeroPadding2D': {
        out = add(base, 'Pad', [x0, constI(`${base}/paddings`, [4, 2], walk.zeroPaddings(cfg))], {
          T,
          Tpaddings: { type: DT_INT32 },
        });
        break;
      }
      case 'BatchNormalization':
      case 'FusedBatchNormalization': {
        const c = walk.batchNormShape(cfg, ins[0]!, base, REFERENCE_FIX)[2];
        const ones = { shape: [c], values: new Float32Array(c).fill(1) };
        const zeros = { shape: [c], values: new Float32Array(c) };
        const gamma = constF(`${base}/gamma`, weight(layer, 'gamma') ?? ones);
        const beta = constF(`${base}/beta`, weight(layer, 'beta') ?? zeros);
        const mean = constF(`${base}/moving_mean`, weight(layer, 'moving_mean')!);
        const variance = constF(`${base}/moving_variance`, weight(layer, 'moving_variance')!);
        out = add(base, 'FusedBatchNormV3', [x0, gamma, beta, mean, variance], {
          T,
          U: T,
          epsilon: { f: cfg['epsilon'] as number },
          exponential_avg_factor: { f: 1 },
          data_format: { s: 'NHWC' },
          is_training: { b: false },
        });
        break;
      }
      case 'ReLU':
      case 'FusedReLU':
        walk.checkPlainRelu(cfg, base, WHAT, REFERENCE_FIX);
        out = add(base, 'Relu', [x0], { T });
        break;
      case 'Activation':
        out = activation(base, x0, cfg['activation'], base);
        break;
      case 'Add':
        out = x[0]!;
        for (let i = 1; i < x.length; i++)
          out = add(i === x.length - 1 ? base : `${base}/${i}`, 'AddV2', [out, x[i]!], { T });
        break;
      case 'PadShortcut': {
        const { stride, paddings } = walk.padShortcut(cfg, ins[0]!);
        out = x0;
        if (stride > 1)
          out = add(`${base}/subsample`, 'MaxPool', [out], walk.poolAttrs([1, 1], [stride, stride], 'VALID'));
        if (paddings)
          out = add(base, 'Pad', [out, constI(`${base}/paddings`, [4, 2], paddings)], {
            T,
            Tpaddings: { type: DT_INT32 },
          });
        break;
      }
      case 'MaxPooling2D': {
        out = add(base, 'MaxPool', [x0], walk.maxPoolingAttrs(cfg, base, REFERENCE_FIX));
        break;
      }
      case 'GlobalAveragePooling2D':
        out = add(base, 'Mean', [x0, constI(`${base}/axes`, [2], [1, 2])], {
          T,
          Tidx: { type: DT_INT32 },
          keep_dims: { b: false },
        });
        break;
      case 'Flatten': {
        const size = ins[0]!.shape.slice(1).reduce<number>((a, b) => a * (b ?? Number.NaN), 1);
        out = add(base, 'Reshape', [x0, constI(`${base}/shape`, [2], [-1, size])], { T, Tshape: { type: DT_INT32 } });
        break;
      }
      case 'Dense': {
        walk.checkDenseInput(ins[0]!, base, REFERENCE_FIX);
        out = add(base, 'MatMul', [x0, constF(`${base}/kernel`, weight(layer, 'kernel')!)], {
          T,
          transpose_a: { b: false },
          transpose_b: { b: false },
        });
        if (cfg['useBias'])
          out = add(`${base}/bias_add`, 'BiasAdd', [out, constF(`${base}/bias`, weight(layer, 'bias')!)], {
            T,
            data_format: { s: 'NHWC' },
          });
        out = activation(base, out, cfg['activation'], base);
        break;
      }
      case 'Dropout':
        out = x0;
        break;
      default:
        throw new ModelError(`inference graph: layer '${base}' (${cls}) is not supported`, REFERENCE_FIX);
    }
    tensorName.set((layer.output as tfl.SymbolicTensor).id, out);
  }
  const outSym = model.outputs[0]!;
  const output = tensorName.get(outSym.id);
  if (output === undefined)
    throw new ModelError('inference graph: the model output is not produced by any layer', REFERENCE_FIX);
  // A named Identity gives the output a stable name whatever its last op is.
  const final = add('output', 'Identity', [output], { T });
  return { nodes: g.nodes, input, output: final, inputShape, outputShape: outSym.shape.slice(1).map((d) => d ?? -1) };
}
