// Usage: node dist/main.js [--policy ucb] [--ratio 0.5] [--epochs 5] [--train 10000] [--test 2000] [--seed 1] [--data DIR]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPruner, policyNames, PrunerError } from '@dp/policies';
import { DEFAULT_DIR, loadSplit } from './fashion-mnist.js';
import { createModel, train } from './train.js';

/** A user error: printed as one line, exit code 2. */
class UsageError extends Error {}

function count(name: string, raw: string, max: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new UsageError(`--${name} ${raw} is invalid: expected an integer in [1, ${max}]`);
  return v;
}

try {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        policy: { type: 'string', default: 'ucb' },
        ratio: { type: 'string', default: '0.5' },
        epochs: { type: 'string', default: '5' },
        train: { type: 'string', default: '10000' },
        test: { type: 'string', default: '2000' },
        seed: { type: 'string', default: '1' },
        data: { type: 'string', default: DEFAULT_DIR },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.replace(/\n/g, ' ')} (options: --policy --ratio --epochs --train --test --seed --data)`,
    );
  }
  const trainSize = count('train', values.train, 60000);
  const testSize = count('test', values.test, 10000);
  const dir = values.data;
  if (!existsSync(join(dir, 'train-images-idx3-ubyte.gz'))) {
    throw new UsageError(
      `--data ${dir} has no Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, ...); install Debian's dataset-fashion-mnist or point --data at the four .gz files`,
    );
  }
  const data = loadSplit(dir, 'train', trainSize);
  const test = loadSplit(dir, 't10k', testSize);
  const seed = Number(values.seed);
  // createPruner validates the rest (policy name, ratio, epochs, seed) and names the field on error.
  const pruner = createPruner({
    policy: values.policy,
    datasetSize: data.size,
    pruneRatio: Number(values.ratio),
    totalEpochs: Number(values.epochs),
    seed,
  });
  console.log(
    `${pruner.config.policy} at pruneRatio ${pruner.config.pruneRatio} on ${data.size} Fashion-MNIST samples (policies: ${policyNames().join(', ')})`,
  );
  for (const log of train(createModel(seed), data, test, pruner)) {
    console.log(
      `epoch ${log.epoch + 1}: trained ${log.kept} samples, train loss ${log.trainLoss.toFixed(3)}, test accuracy ${(100 * log.testAccuracy).toFixed(1)}%`,
    );
  }
} catch (e) {
  if (e instanceof PrunerError || e instanceof UsageError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
