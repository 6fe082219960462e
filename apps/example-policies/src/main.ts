// Usage: node dist/main.js [--policy ucb] [--ratio 0.5] [--epochs 5] [--train 10000] [--test 2000] [--seed 1] [--data DIR]
import { createPruner, policyNames, PrunerError } from '@dp/policies';
import { DEFAULT_DIR, loadSplit } from './fashion-mnist.js';
import { createModel, train } from './train.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
};

try {
  const dir = opt('data', DEFAULT_DIR);
  const data = loadSplit(dir, 'train', Number(opt('train', '10000')));
  const test = loadSplit(dir, 't10k', Number(opt('test', '2000')));
  const seed = Number(opt('seed', '1'));
  const pruner = createPruner({
    policy: opt('policy', 'ucb'),
    datasetSize: data.size,
    pruneRatio: Number(opt('ratio', '0.5')),
    totalEpochs: Number(opt('epochs', '5')),
    seed,
  });
  console.log(`${pruner.config.policy} at pruneRatio ${pruner.config.pruneRatio} on ${data.size} Fashion-MNIST samples (policies: ${policyNames().join(', ')})`);
  for (const log of train(createModel(seed), data, test, pruner)) {
    console.log(`epoch ${log.epoch + 1}: trained ${log.kept} samples, train loss ${log.trainLoss.toFixed(3)}, test accuracy ${(100 * log.testAccuracy).toFixed(1)}%`);
  }
} catch (e) {
  if (e instanceof PrunerError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
