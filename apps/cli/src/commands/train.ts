import { datasetNames, loadDataset } from '@dp/data';
import { buildModel, modelEntries } from '@dp/models';
import { createPruner, policyNames } from '@dp/policies';
import { SCHEDULES, train, type ScheduleName } from '@dp/trainer';
import { num, parse, str, type OptionSpec } from '../args.js';
import { loadBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { formatDuration, ProgressBar } from '../progress.js';

export const trainOptions: OptionSpec = {
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  'label-smoothing': { type: 'string' },
  policy: { type: 'string' },
  'prune-ratio': { type: 'string' },
  seed: { type: 'string' },
  gpu: { type: 'boolean' },
  'allow-cpu': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function trainHelp(): string {
  return `Usage: dp train [options]

Trains a model on the native TensorFlow backend, pruning the data each epoch with a selection policy.

Options:
  --dataset NAME        ${datasetNames().join(' | ')} (default fashion-mnist)
  --data-dir DIR        where to look for dataset files first (also $DP_DATA_DIR)
  --model NAME          model (default cnn-small):
${modelEntries().map((m) => `                          ${m.name.padEnd(12)} ${m.summary}`).join('\n')}
  --epochs N            epochs (default 3)
  --batch-size N        mini-batch size (default 128)
  --lr X                peak learning rate (default 0.05)
  --momentum X          SGD momentum (default 0.9)
  --nesterov            Nesterov momentum (default on for cnn-small runs: pass --no-nesterov to disable)
  --weight-decay X      L2 weight decay on kernels (default 5e-4)
  --schedule NAME       ${SCHEDULES.join(' | ')} (default cosine), defined on training progress
  --warmup X            fraction of training spent in linear LR warm-up (default 0)
  --label-smoothing X   in [0, 1) (default 0)
  --policy NAME         ${policyNames().join(' | ')} (default full)
  --prune-ratio R       share of the data pruned per epoch, in [0, 1) (default 0; 0.5 when --policy is not full)
  --seed N              seed of every random choice (default 0)
  --gpu                 use @tensorflow/tfjs-node-gpu (see README: GPU)
  --allow-cpu           run on the pure-JS backend if the native one cannot load (300-700x slower)

Examples:
  dp train --dataset fashion-mnist --model cnn-small --epochs 3
  dp train --policy random --prune-ratio 0.5 --epochs 6 --seed 1
`;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...trainOptions, 'no-nesterov': { type: 'boolean' } }, 'train');
  if (values.help) {
    process.stdout.write(trainHelp());
    return 0;
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'; fix: see \`dp train --help\``);
  const dataset = str(values, 'dataset', 'fashion-mnist');
  if (!datasetNames().includes(dataset)) throw new CliError(`unknown dataset '${dataset}'; fix: use --dataset with one of ${datasetNames().join(', ')}`);
  const modelName = str(values, 'model', 'cnn-small');
  const known = modelEntries().map((m) => m.name);
  if (!known.includes(modelName)) throw new CliError(`unknown model '${modelName}'; fix: use --model with one of ${known.join(', ')}`);
  const policy = str(values, 'policy', 'full');
  if (!policyNames().includes(policy)) throw new CliError(`unknown policy '${policy}'; fix: use --policy with one of ${policyNames().join(', ')}`);
  const schedule = str(values, 'schedule', 'cosine') as ScheduleName;
  if (!SCHEDULES.includes(schedule)) throw new CliError(`unknown schedule '${schedule}'; fix: use --schedule with one of ${SCHEDULES.join(', ')}`);
  const epochs = num(values, 'epochs', 3, { min: 1, integer: true });
  const batchSize = num(values, 'batch-size', 128, { min: 1, integer: true });
  const lr = num(values, 'lr', 0.05, { min: 0, maxOpen: false });
  if (lr <= 0) throw new CliError(`--lr ${lr} is invalid: expected a number > 0`);
  const momentum = num(values, 'momentum', 0.9, { min: 0, max: 1, maxOpen: true });
  const weightDecay = num(values, 'weight-decay', 5e-4, { min: 0 });
  const warmup = num(values, 'warmup', 0, { min: 0, max: 1, maxOpen: true });
  const labelSmoothing = num(values, 'label-smoothing', 0, { min: 0, max: 1, maxOpen: true });
  const pruneRatio = num(values, 'prune-ratio', policy === 'full' ? 0 : 0.5, { min: 0, max: 1, maxOpen: true });
  const seed = num(values, 'seed', 0, { integer: true, min: 0 });
  const nesterov = !values['no-nesterov'];

  // Data first: its errors are the most common and need no TensorFlow start-up to report.
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const data = await loadDataset(dataset, { dataDir });
  const backend = await loadBackend({ gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) });
  const out = process.stdout;
  out.write(`dp train: ${dataset} (${data.train.size} train / ${data.test.size} test, from ${data.source}) · ${modelName} · policy ${policy}` +
    `${policy === 'full' ? '' : ` @ ${pruneRatio}`} · ${epochs} epochs · backend ${backend.backend}${backend.tensorflowVersion ? ` (TensorFlow ${backend.tensorflowVersion})` : ''}\n`);
  const model = buildModel(modelName, { inputShape: data.train.shape, numClasses: data.train.numClasses, seed });
  const pruner = createPruner({ policy, datasetSize: data.train.size, pruneRatio, totalEpochs: epochs, seed });
  let bar: ProgressBar | undefined;
  const started = performance.now();
  const result = train({
    model,
    train: data.train,
    test: data.test,
    pruner,
    options: { epochs, batchSize, schedule: { name: schedule, lr, warmup }, momentum, nesterov, weightDecay, labelSmoothing },
    hooks: {
      onBatch: (p) => {
        if (p.step === 1) bar = new ProgressBar(`epoch ${p.epoch + 1}/${epochs}`, p.steps);
        bar?.update(p.step, `loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}%`);
      },
      onEpoch: (r) => {
        bar?.done();
        const test = r.test ? ` · test loss ${r.test.loss.toFixed(4)} acc ${(100 * r.test.accuracy).toFixed(2)}%` : '';
        out.write(
          `epoch ${r.epoch + 1}/${epochs} · ${r.samples} samples · loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%${test}` +
            ` · train ${r.trainingSeconds.toFixed(1)}s (${Math.round(r.samples / r.trainingSeconds)} img/s) · eval ${r.costs.eval.toFixed(1)}s\n`,
        );
      },
    },
  });
  model.dispose();
  const wall = (performance.now() - started) / 1000;
  if (result.final) out.write(`final test accuracy: ${(100 * result.final.accuracy).toFixed(2)}%\n`);
  out.write(`training cost: ${result.totals.trainingSeconds.toFixed(1)}s for ${result.totals.samples} samples · wall-clock ${formatDuration(wall)}\n`);
  return 0;
}
