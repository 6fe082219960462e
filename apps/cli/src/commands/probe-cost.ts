import {
  backendFlags,
  checkMethod,
  checkOutputPath,
  configFromFlags,
  EQUAL_STEPS,
  ExperimentError,
  list,
  loadBackend,
  loadData,
  methodNames,
  methodSpecs,
  num,
  planRun,
  probeCost,
  ratioItem,
  rejectRunFlags,
  RUN_FLAGS,
  runFlagsHelp,
  writeJsonAtomic,
} from '@dp/experiments';
import type { Command } from '../command.js';
import { loadPrinter } from '../printers.js';
import { warn } from '../warn.js';

export const probeCostCommand: Command = {
  name: 'probe-cost',
  summary: "measure a protocol's training cost constants, for dp report --cost-model",
  help: () => `Usage: dp probe-cost --out FILE [run options] [--policies A,B,...] [--ratios R1,R2,...]

Measures, in this one process, what training costs for one protocol (dataset, model, batch size, augmentation,
training step: the run options below, as dp train takes them) and writes it as JSON for dp report --cost-model,
which prices every run of that protocol at this machine speed. Run it on a quiet machine: the constants are only as
good as the machine was steady while they were measured.

  --out FILE              the cost model (JSON) to write
  --policies A,B,...      methods whose own selection and scoring time is measured (default: every known policy)
  --ratios R1,R2,...      at these prune ratios (default 0.5,0.7)
  --pairs N               pairs of a small and a large probe epoch (default 6)
  --small-batches N       batches in a small probe epoch (default 2)
  --large-batches N       batches in a large probe epoch (default 16)
  --repeats N             interleaved timings of each policy (default 3)

What it measures (medians over the repetitions, with their range):
  sample   seconds per trained sample (training step + data loading): from epochs of 2 sizes, each a seeded uniform
           sample of the whole training set through the run's own loader, augmentation and step, in ABBA order
  epoch    seconds per epoch that do not grow with its samples
  first    the one-off extra of a run's first epoch (compiling the training step)
  methods  each policy's select seconds per epoch and observe seconds per sample at the protocol's N and epochs
These are exactly a run's recorded training cost (training, data loading, selection, scoring); evaluation and
checkpoint writes are not part of it and are not measured. The file records the CPU, the oneDNN state and the
training step: set TF_ENABLE_ONEDNN_OPTS and --train-step as the runs it will price had them.

${runFlagsHelp()}`,
  examples: [
    'dp probe-cost --dataset fashion-mnist --model cnn-small --epochs 20 --out results/fmnist-cost.json',
    'dp probe-cost --dataset cifar10-jpeg --model resnet20 --epochs 80 --batch-size 128 --out results/cifar10-resnet20-cost.json   # oneDNN as the runs had it (TF_ENABLE_ONEDNN_OPTS)',
  ],
  flags: {
    ...RUN_FLAGS,
    out: { type: 'string' },
    policies: { type: 'string' },
    ratios: { type: 'string' },
    pairs: { type: 'string' },
    'small-batches': { type: 'string' },
    'large-batches': { type: 'string' },
    repeats: { type: 'string' },
  },
  async run(values) {
    rejectRunFlags(values, ['policy', 'prune-ratio'], 'probe-cost', 'it takes lists, --policies and --ratios');
    if (typeof values.out !== 'string')
      throw new ExperimentError(
        '--out FILE is required; fix: e.g. dp probe-cost --dataset cifar10-jpeg --model resnet20 --out results/cifar10-resnet20-cost.json',
      );
    const out = values.out;
    checkOutputPath(out, 'file', '--out');
    const cfg = configFromFlags(values);
    planRun({}, cfg);
    const known = methodNames().filter((m) => m !== EQUAL_STEPS);
    const policies = list(values.policies, 'policies', known, checkMethod);
    const ratios = list(values.ratios, 'ratios', [0.5, 0.7], ratioItem('ratios'));
    const int = (name: string, fallback: number) => num(values, name, fallback, { min: 1, integer: true });
    const [pairs, smallBatches, largeBatches, repeats] = [
      int('pairs', 6),
      int('small-batches', 2),
      int('large-batches', 16),
      int('repeats', 3),
    ];
    if (smallBatches >= largeBatches)
      throw new ExperimentError(
        `--small-batches ${smallBatches} must be below --large-batches ${largeBatches}; fix: e.g. --small-batches 2 --large-batches 16`,
      );
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
    const data = await loadData(cfg.dataset, dataDir, cfg, loadPrinter(cfg.dataset));
    const backend = await loadBackend({ ...backendFlags(values), onWarning: warn });
    const model = await probeCost(cfg, data, {
      backend,
      pairs,
      smallBatches,
      largeBatches,
      methods: methodSpecs(policies, ratios),
      methodRepeats: repeats,
      onProgress: (m) => process.stdout.write(`probe-cost: ${m}\n`),
      onWarning: warn,
    });
    writeJsonAtomic(out, model);
    const c = model.constants;
    const us = (x: number) => `${(1e6 * x).toFixed(1)} µs`;
    process.stdout.write(
      `probe-cost: ${us(c.sample.value)} per trained sample (${us(c.sample.min)}–${us(c.sample.max)}), ` +
        `${c.epoch.value.toFixed(3)} s per epoch, ${c.first.value.toFixed(2)} s once per run · ${model.machine.cpu} · ` +
        `${model.machine.trainStep} step · ${model.probeSeconds.toFixed(0)} s\nwrote ${out}\n`,
    );
    return 0;
  },
};
