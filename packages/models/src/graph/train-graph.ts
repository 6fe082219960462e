/**
 * Translate a tfjs-layers model into one TensorFlow graph for a whole SGD training step: the training forward pass
 * (batch norm with the batch statistics), the per-sample softmax cross-entropy, its hand-written backward pass (one
 * gradient kernel per forward op: Conv2DBackpropInput / Conv2DBackpropFilter, FusedBatchNormGradV3, ReluGrad,
 * MaxPoolGrad, BiasAddGrad, MatMul), coupled L2 weight decay, tfjs' momentum (optionally Nesterov) update and
 * tfjs-layers' moving-statistics update. Weights, momentum accumulators and moving statistics are placeholders fed
 * in and their new values fetched out, so the state stays in the tfjs variables (checkpoints and resume unchanged).
 *
 * The objective is the trainer's: sum_i(w_i * loss_i) / n + (weightDecay / 2) * sum of squared decayed kernels,
 * with loss_i the cross-entropy of label-smoothed one-hot targets. Every op mirrors the tfjs computation it replaces
 * (the same formulas in the same order, so the update is the eager one up to float32 rounding).
 *
 * Supported layers: InputLayer, Conv2D, ZeroPadding2D, BatchNormalization / FusedBatchNormalization (channels last,
 * rank 4), ReLU / FusedReLU, Activation (linear, relu), Add, PadShortcut, MaxPooling2D, GlobalAveragePooling2D,
 * Flatten, Dense (rank 2), Dropout with rate 0. Anything else (dropout, frozen layers, a softmax output) is a
 * ModelError that names it: the caller trains that model the eager way.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { GraphBuilder, INT32, T } from './builder.js';
import * as walk from './layer-walk.js';
import type { Attr, NodeSpec } from './graph-def.js';

/** The fix of every model the training graph cannot express: train it with the eager step. */
const EAGER_FIX = 'train this model with the eager step (the reference path)';
const WHAT = 'training graph';

export interface TrainGraphOptions {
  /** Label smoothing of the one-hot targets (tfjs softmaxCrossEntropy's labelSmoothing). */
  labelSmoothing: number;
  /** Coupled L2 weight decay on the `decayed` variables. */
  weightDecay: number;
  /** Names (LayerVariable.name) of the variables under weight decay. */
  decayed: ReadonlySet<string>;
  momentum: number;
  nesterov: boolean;
}

/** A variable of the model as the graph feeds and fetches it. */
export interface GraphVariable {
  variable: tfl.LayerVariable;
  /** Placeholder of its current value. */
  value: string;
  /** Tensor of its value after the step. */
  next: string;
}

export interface TrainGraph {
  nodes: NodeSpec[];
  /** Placeholders: inputs float32 [n, ...inputShape], labels int32 [n], weights float32 [n], lr float32 []. */
  x: string;
  labels: string;
  weights: string;
  lr: string;
  /** Trainable variables in model.trainableWeights order, each with its momentum accumulator. */
  trainable: (GraphVariable & { accumulation: string; nextAccumulation: string })[];
  /** Moving statistics of the batch norms. */
  moving: GraphVariable[];
  /** Per-sample unweighted losses [n] and hits [n] (1 = argmax is the label) of the forward pass. */
  losses: string;
  hits: string;
  inputShape: number[];
  numClasses: number;
}

type Config = Record<string, unknown>;
type Sym = tfl.SymbolicTensor;

/** The training-step graph of `model` (see the file comment). */
export function trainingGraph(model: tfl.LayersModel, options: TrainGraphOptions): TrainGraph {
  const { input: inputSym, shape: inputShape } = walk.modelInput(model, WHAT, EAGER_FIX);
  const g = new GraphBuilder();
  const add = g.add.bind(g);
  const tensorName = new Map<number, string>(); // SymbolicTensor id -> graph tensor name
  const needsGrad = new Set<string>(); // tensors that depend on a trainable variable
  const grads = new Map<string, string[]>(); // tensor -> gradient contributions
  const backward: (() => void)[] = []; // pushed in forward order, run in reverse
  const addGrad = (t: string, dt: string) => (grads.has(t) ? grads.get(t)!.push(dt) : grads.set(t, [dt]));
  const gradOf = (t: string): string | undefined => {
    const list = grads.get(t);
    if (!list?.length) return undefined;
    if (list.length === 1) return list[0];
    return add(`${t.replace(/:/g, '_')}/grad_sum`, 'AddN', list, { T, N: { i: list.length } });
  };
  const shapeOf = (t: string) => add(`${t.replace(/:/g, '_')}/shape`, 'Shape', [t], { T, out_type: INT32 });
  /** Add a forward op; its output needs a gradient if any input does. */
  const op = (base: string, type: string, inputs: string[], attrs: Record<string, Attr>): string => {
    const name = add(base, type, inputs, attrs);
    if (inputs.some((i) => needsGrad.has(i))) needsGrad.add(name);
    return name;
  };

  const x = g.placeholder('x', [-1, ...inputShape]);
  const labels = g.placeholder('labels', [-1], INT32);
  const weights = g.placeholder('weights', [-1]);
  const lr = g.placeholder('lr', []);
  tensorName.set(inputSym.id, x);
  const batchF = add('batch_size', 'Cast', [add('batch_size_i', 'Size', [labels], { T: INT32, out_type: INT32 })], {
    SrcT: INT32,
    DstT: T,
    Truncate: { b: false },
  });

  const trainableSet = new Set(model.trainableWeights);
  const params = new Map<tfl.LayerVariable, string>();
  const moving: GraphVariable[] = [];
  /** The placeholder of a trainable variable (its gradient is collected under this name). */
  const param = (layer: tfl.layers.Layer, suffix: string): string | undefined => {
    const v = walk.findWeight(layer, suffix);
    if (!v) return undefined;
    if (!trainableSet.has(v))
      throw new ModelError(
        `training graph: weight '${v.name}' of layer '${layer.name}' is not trainable; supported: every layer trainable`,
        EAGER_FIX,
      );
    if (!params.has(v)) {
      const name = g.placeholder(`var/${v.name}`, v.shape as number[]);
      needsGrad.add(name);
      params.set(v, name);
    }
    return params.get(v)!;
  };
  const movingStat = (layer: tfl.layers.Layer, suffix: string): { variable: tfl.LayerVariable; value: string } => {
    const v = walk.findWeight(layer, suffix)!;
    return { variable: v, value: g.placeholder(`var/${v.name}`, v.shape as number[]) };
  };

  const relu = (base: string, x0: string): string => {
    const y = op(base, 'Relu', [x0], { T });
    backward.push(() => {
      const dy = gradOf(y);
      if (dy && needsGrad.has(x0)) addGrad(x0, add(`${base}/grad`, 'ReluGrad', [dy, y], { T }));
    });
    return y;
  };
  const activation = (base: string, x0: string, act: unknown): string => {
    if (act === 'linear' || act == null) return x0;
    if (act === 'relu') return relu(`${base}/relu`, x0);
    throw new ModelError(
      `layer '${base}': activation '${String(act)}' is not supported by the training graph (the model must output logits)`,
      EAGER_FIX,
    );
  };
  const biasAdd = (base: string, x0: string, b: string): string => {
    const y = op(`${base}/bias_add`, 'BiasAdd', [x0, b], { T, data_format: { s: 'NHWC' } });
    backward.push(() => {
      const dy = gradOf(y);
      if (!dy) return;
      if (needsGrad.has(x0)) addGrad(x0, dy);
      addGrad(b, add(`${base}/bias_grad`, 'BiasAddGrad', [dy], { T, data_format: { s: 'NHWC' } }));
    });
    return y;
  };
  const pad = (base: string, x0: string, p: number[]): string => {
    const y = op(base, 'Pad', [x0, g.constI(`${base}/paddings`, [4, 2], p)], { T, Tpaddings: INT32 });
    backward.push(() => {
      const dy = gradOf(y);
      if (!dy || !needsGrad.has(x0)) return;
      const begin = g.constI(`${base}/grad_begin`, [4], [p[0]!, p[2]!, p[4]!, p[6]!]);
      addGrad(x0, add(`${base}/grad`, 'Slice', [dy, begin, shapeOf(x0)], { T, Index: INT32 }));
    });
    return y;
  };
  const maxPool = (base: string, x0: string, attrs: Record<string, Attr>): string => {
    const y = op(base, 'MaxPool', [x0], attrs);
    backward.push(() => {
      const dy = gradOf(y);
      if (dy && needsGrad.has(x0)) addGrad(x0, add(`${base}/grad`, 'MaxPoolGrad', [x0, y, dy], attrs));
    });
    return y;
  };

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const { ins, names: xs } = walk.layerInputs(layer, tensorName, WHAT, EAGER_FIX);
    const cfg = layer.getConfig() as Config;
    const base = layer.name;
    const x0 = xs[0]!;
    let out: string;
    switch (cls) {
      case 'Conv2D': {
        const kernelVar = walk.findWeight(layer, 'kernel')!;
        const k = param(layer, 'kernel')!;
        const attrs = walk.convAttrs(cfg, base, EAGER_FIX);
        const y = op(base, 'Conv2D', [x0, k], attrs);
        backward.push(() => {
          const dy = gradOf(y);
          if (!dy) return;
          if (needsGrad.has(x0))
            addGrad(x0, add(`${base}/grad_input`, 'Conv2DBackpropInput', [shapeOf(x0), k, dy], attrs));
          const kShape = g.constI(`${base}/kernel_shape`, [4], kernelVar.shape as number[]);
          addGrad(k, add(`${base}/grad_filter`, 'Conv2DBackpropFilter', [x0, kShape, dy], attrs));
        });
        out = y;
        if (cfg['useBias']) out = biasAdd(base, out, param(layer, 'bias')!);
        out = activation(base, out, cfg['activation']);
        break;
      }
      case 'ZeroPadding2D': {
        out = pad(base, x0, walk.zeroPaddings(cfg));
        break;
      }
      case 'BatchNormalization':
      case 'FusedBatchNormalization': {
        const [h, w, c] = walk.batchNormShape(cfg, ins[0]!, base, EAGER_FIX);
        const gamma =
          param(layer, 'gamma') ?? g.constF(`${base}/ones`, { shape: [c], values: new Float32Array(c).fill(1) });
        const beta = param(layer, 'beta') ?? g.constF(`${base}/zeros`, { shape: [c], values: new Float32Array(c) });
        const empty = g.constF(`${base}/empty`, { shape: [0], values: new Float32Array(0) });
        const common: Record<string, Attr> = {
          T,
          U: T,
          epsilon: { f: cfg['epsilon'] as number },
          data_format: { s: 'NHWC' },
          is_training: { b: true },
        };
        const bn = op(base, 'FusedBatchNormV3', [x0, gamma, beta, empty, empty], {
          ...common,
          exponential_avg_factor: { f: 1 },
        });
        backward.push(() => {
          const dy = gradOf(bn);
          if (!dy) return;
          const gr = add(
            `${base}/grad`,
            'FusedBatchNormGradV3',
            [dy, x0, gamma, `${bn}:3`, `${bn}:4`, `${bn}:5`],
            common,
          );
          if (needsGrad.has(x0)) addGrad(x0, gr);
          if (needsGrad.has(gamma)) addGrad(gamma, `${gr}:1`);
          if (needsGrad.has(beta)) addGrad(beta, `${gr}:2`);
        });
        // tfjs-layers' update, op for op: moving - (moving - batch) * (1 - momentum), with the biased batch
        // variance (the kernel reports the unbiased one: x (m - 1) / m over m = n * h * w values, x 1 when m = 1).
        const m = add(`${base}/count`, 'Mul', [batchF, g.scalarF(`${base}/hw`, h * w)], { T });
        const one = g.scalarF(`${base}/one`, 1);
        const toBiased = add(
          `${base}/to_biased`,
          'RealDiv',
          [add(`${base}/count_1`, 'Maximum', [add(`${base}/count_m1`, 'Sub', [m, one], { T }), one], { T }), m],
          { T },
        );
        const biasedVar = add(`${base}/batch_variance`, 'Mul', [`${bn}:2`, toBiased], { T });
        const rate = g.scalarF(`${base}/one_minus_momentum`, 1 - (cfg['momentum'] as number));
        for (const [suffix, batchStat] of [
          ['moving_mean', `${bn}:1`],
          ['moving_variance', biasedVar],
        ] as const) {
          const stat = movingStat(layer, suffix);
          const diff = add(`${base}/${suffix}/diff`, 'Sub', [stat.value, batchStat], { T });
          const next = add(
            `${base}/${suffix}/next`,
            'Sub',
            [stat.value, add(`${base}/${suffix}/step`, 'Mul', [diff, rate], { T })],
            { T },
          );
          moving.push({ ...stat, next });
        }
        out = bn;
        break;
      }
      case 'ReLU':
      case 'FusedReLU':
        walk.checkPlainRelu(cfg, base, WHAT, EAGER_FIX);
        out = relu(base, x0);
        break;
      case 'Activation':
        out = activation(base, x0, cfg['activation']);
        break;
      case 'Add': {
        out = xs[0]!;
        for (let i = 1; i < xs.length; i++)
          out = op(i === xs.length - 1 ? base : `${base}/${i}`, 'AddV2', [out, xs[i]!], { T });
        const y = out;
        backward.push(() => {
          const dy = gradOf(y);
          if (dy) for (const xi of xs) if (needsGrad.has(xi)) addGrad(xi, dy);
        });
        break;
      }
      case 'PadShortcut': {
        const { stride, paddings } = walk.padShortcut(cfg, ins[0]!);
        out = x0;
        if (stride > 1) out = maxPool(`${base}/subsample`, out, walk.poolAttrs([1, 1], [stride, stride], 'VALID'));
        if (paddings) out = pad(base, out, paddings);
        break;
      }
      case 'MaxPooling2D': {
        out = maxPool(base, x0, walk.maxPoolingAttrs(cfg, base, EAGER_FIX));
        break;
      }
      case 'GlobalAveragePooling2D': {
        const [h, w, c] = ins[0]!.shape.slice(1) as number[];
        const y = op(base, 'Mean', [x0, g.constI(`${base}/axes`, [2], [1, 2])], {
          T,
          Tidx: INT32,
          keep_dims: { b: false },
        });
        backward.push(() => {
          const dy = gradOf(y);
          if (!dy || !needsGrad.has(x0)) return;
          const dy4 = add(
            `${base}/grad_reshape`,
            'Reshape',
            [dy, g.constI(`${base}/grad_shape`, [4], [-1, 1, 1, c!])],
            {
              T,
              Tshape: INT32,
            },
          );
          const scaled = add(`${base}/grad_scale`, 'Mul', [dy4, g.scalarF(`${base}/inv_area`, 1 / (h! * w!))], { T });
          addGrad(x0, add(`${base}/grad`, 'BroadcastTo', [scaled, shapeOf(x0)], { T, Tidx: INT32 }));
        });
        out = y;
        break;
      }
      case 'Flatten': {
        const size = ins[0]!.shape.slice(1).reduce<number>((a, b) => a * (b ?? Number.NaN), 1);
        const y = op(base, 'Reshape', [x0, g.constI(`${base}/shape`, [2], [-1, size])], { T, Tshape: INT32 });
        backward.push(() => {
          const dy = gradOf(y);
          if (dy && needsGrad.has(x0))
            addGrad(x0, add(`${base}/grad`, 'Reshape', [dy, shapeOf(x0)], { T, Tshape: INT32 }));
        });
        out = y;
        break;
      }
      case 'Dense': {
        walk.checkDenseInput(ins[0]!, base, EAGER_FIX);
        const k = param(layer, 'kernel')!;
        const y = op(base, 'MatMul', [x0, k], { T, transpose_a: { b: false }, transpose_b: { b: false } });
        backward.push(() => {
          const dy = gradOf(y);
          if (!dy) return;
          if (needsGrad.has(x0))
            addGrad(
              x0,
              add(`${base}/grad_input`, 'MatMul', [dy, k], { T, transpose_a: { b: false }, transpose_b: { b: true } }),
            );
          addGrad(
            k,
            add(`${base}/grad_kernel`, 'MatMul', [x0, dy], { T, transpose_a: { b: true }, transpose_b: { b: false } }),
          );
        });
        out = y;
        if (cfg['useBias']) out = biasAdd(base, out, param(layer, 'bias')!);
        out = activation(base, out, cfg['activation']);
        break;
      }
      case 'Dropout':
        if ((cfg['rate'] as number) > 0)
          throw new ModelError(
            `layer '${base}': dropout (rate ${String(cfg['rate'])}) is not supported by the training graph`,
            EAGER_FIX,
          );
        out = x0;
        break;
      default:
        throw new ModelError(`training graph: layer '${base}' (${cls}) is not supported`, EAGER_FIX);
    }
    tensorName.set((layer.output as Sym).id, out);
  }
  const outSym = model.outputs[0]!;
  const logits = tensorName.get(outSym.id);
  if (logits === undefined || outSym.rank !== 2)
    throw new ModelError('training graph: the model output must be rank-2 logits produced by a layer', EAGER_FIX);
  const numClasses = outSym.shape[1]!;

  // Loss: tfjs softmaxCrossEntropy on one-hot targets smoothed as onehot * (1 - s) + s / k.
  const s = options.labelSmoothing;
  const targets = add(
    'targets',
    'OneHot',
    [
      labels,
      g.constI('num_classes', [], [numClasses]),
      g.scalarF('on', 1 * (1 - s) + s / numClasses),
      g.scalarF('off', s / numClasses),
    ],
    { T, TI: INT32, axis: { i: -1 } },
  );
  const ce = add('cross_entropy', 'SoftmaxCrossEntropyWithLogits', [logits, targets], { T });
  const losses = add('losses', 'Identity', [`${ce}:0`], { T });
  const predicted = add('predicted', 'ArgMax', [logits, g.constI('class_axis', [], [1])], {
    T,
    Tidx: INT32,
    output_type: INT32,
  });
  const hits = add('hits', 'Cast', [add('correct', 'Equal', [predicted, labels], { T: INT32 })], {
    SrcT: { type: 10 }, // DT_BOOL
    DstT: T,
    Truncate: { b: false },
  });
  // d objective / d logits = (softmax - targets) * w_i / n.
  const scale = add(
    'loss_scale',
    'Reshape',
    [add('loss_weight', 'RealDiv', [weights, batchF], { T }), g.constI('column', [2], [-1, 1])],
    { T, Tshape: INT32 },
  );
  addGrad(logits, add('logits_grad', 'Mul', [`${ce}:1`, scale], { T }));
  for (let i = backward.length - 1; i >= 0; i--) backward[i]!();

  // tfjs MomentumOptimizer.applyGradients, op for op, with c = -lr.
  const mom = g.scalarF('momentum', options.momentum);
  const c = add('neg_lr', 'Neg', [lr], { T });
  const decay = options.weightDecay > 0 ? g.scalarF('weight_decay', options.weightDecay) : undefined;
  const trainable = model.trainableWeights.map((v) => {
    const value = params.get(v);
    if (value === undefined)
      throw new ModelError(`training graph: trainable weight '${v.name}' is not used by a supported layer`, EAGER_FIX);
    const accumulation = g.placeholder(`momentum/${v.name}`, v.shape as number[]);
    const base = `update/${v.name}`;
    let grad = gradOf(value);
    if (grad === undefined) grad = add(`${base}/zero_grad`, 'ZerosLike', [value], { T });
    if (decay && options.decayed.has(v.name))
      grad = add(`${base}/decayed_grad`, 'AddV2', [grad, add(`${base}/decay`, 'Mul', [value, decay], { T })], { T });
    const nextAccumulation = add(
      `${base}/accumulation`,
      'AddV2',
      [add(`${base}/momentum`, 'Mul', [mom, accumulation], { T }), grad],
      { T },
    );
    const step = options.nesterov
      ? add(`${base}/nesterov`, 'AddV2', [grad, add(`${base}/lookahead`, 'Mul', [nextAccumulation, mom], { T })], { T })
      : nextAccumulation;
    const next = add(`${base}/value`, 'AddV2', [add(`${base}/step`, 'Mul', [c, step], { T }), value], { T });
    return { variable: v, value, next, accumulation, nextAccumulation };
  });
  return { nodes: g.nodes, x, labels, weights, lr, trainable, moving, losses, hits, inputShape, numClasses };
}
