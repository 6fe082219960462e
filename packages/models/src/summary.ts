/** A printable table of a model's layers: name, type, output shape, parameters; then the totals. */
import type { LayersModel } from '@tensorflow/tfjs-layers';

type Shape = (number | null)[];
interface Weighted {
  shape: Shape;
}

const count = (ws: readonly Weighted[]) =>
  ws.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
const fmtShape = (s: Shape | Shape[]): string =>
  Array.isArray(s[0]) ? (s as Shape[]).map(fmtShape).join(', ') : `[${(s as Shape).map((d) => d ?? '?').join(', ')}]`;
const fmtInt = (n: number) => n.toLocaleString('en-US');

export interface SummaryTotals {
  trainable: number;
  nonTrainable: number;
}

/** Trainable (kernels, biases, batch-norm gamma/beta) and non-trainable (moving statistics) parameter counts. */
export function paramTotals(model: LayersModel): SummaryTotals {
  return { trainable: count(model.trainableWeights), nonTrainable: count(model.nonTrainableWeights) };
}

/** The summary as a string (one line per layer); print it with console.log. */
export function modelSummary(model: LayersModel): string {
  const header = ['Layer', 'Type', 'Output shape', 'Params'];
  const rows = model.layers.map((l) => [
    l.name,
    l.getClassName(),
    fmtShape(l.outputShape as Shape | Shape[]),
    fmtInt(l.countParams()),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const { trainable, nonTrainable } = paramTotals(model);
  return [
    `Model: ${model.name}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${fmtInt(trainable + nonTrainable)}`,
    `Trainable params: ${fmtInt(trainable)}`,
    `Non-trainable params: ${fmtInt(nonTrainable)}`,
  ].join('\n');
}
