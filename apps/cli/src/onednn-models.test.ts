import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, modelsOfCommand, TRAINING_COMMANDS } from './onednn-models.js';
import { FIELD } from '@dp/experiments';

const noFile = (path: string): string => {
  throw new Error(`no ${path}`);
};
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);

describe('modelsOfCommand', () => {
  it('reads --model and --models in either spelling, in any position, without duplicates', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRAINING_COMMANDS),
        fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (command, ms, equals, asList) => {
          const flags = asList
            ? equals
              ? [`--models=${ms.join(',')}`]
              : ['--models', ms.join(',')]
            : ms.flatMap((m) => (equals ? [`--model=${m}`] : ['--model', m]));
          const argv = [command, '--epochs', '3', ...flags, '--seed', '1', ...(equals ? [] : flags)];
          expect(modelsOfCommand(argv, noFile)).toEqual(ms);
        },
      ),
    );
  });
  it('takes the model of --config FILE, else of --resume DIR, else the default', () => {
    const files: Record<string, string> = {
      'run.json': JSON.stringify({ model: 'resnet20', epochs: 3 }),
      'runs/a/config.json': JSON.stringify({ model: 'resnet50' }),
      'no-model.json': '{}',
    };
    const read = (p: string) => files[p] ?? noFile(p);
    expect(modelsOfCommand(['train', '--config', 'run.json'], read)).toEqual(['resnet20']);
    expect(modelsOfCommand(['train', '--config=no-model.json'], read)).toEqual([DEFAULT_MODEL]);
    expect(modelsOfCommand(['train', '--resume', 'runs/a/'], read)).toEqual(['resnet50']);
    expect(modelsOfCommand(['train', '--config', 'run.json', '--model', 'mlp'], read)).toEqual(['mlp']);
    expect(modelsOfCommand(['bench', '--epochs', '1'], read)).toEqual([DEFAULT_MODEL]);
  });
  it('cannot tell (undefined) when a config does not read; a command that trains nothing trains no model', () => {
    expect(modelsOfCommand(['train', '--config', 'missing.json'], noFile)).toBeUndefined();
    expect(modelsOfCommand(['train', '--resume', 'runs/gone'], noFile)).toBeUndefined();
    expect(modelsOfCommand(['doctor'], noFile)).toEqual([]);
    expect(modelsOfCommand([], noFile)).toEqual([]);
  });
  it('names a ResNet-18/34/50 on an image folder apart: its stem is not known before the data loads', () => {
    const files: Record<string, string> = {
      'folder.json': JSON.stringify({ model: 'resnet18', dataset: 'imagefolder' }),
      'sweep.json': JSON.stringify({ models: ['resnet20', 'resnet34'], datasets: ['cifar10-jpeg', 'imagefolder'] }),
    };
    const read = (p: string) => files[p] ?? noFile(p);
    expect(modelsOfCommand(['train', '--dataset', 'imagefolder', '--model', 'resnet18'], read)).toEqual([
      'resnet18 on imagefolder',
    ]);
    expect(modelsOfCommand(['train', '--dataset=imagefolder', '--model', 'resnet20'], read)).toEqual(['resnet20']);
    expect(modelsOfCommand(['train', '--dataset', 'cifar10-jpeg', '--model', 'resnet50'], read)).toEqual(['resnet50']);
    expect(modelsOfCommand(['train', '--config', 'folder.json'], read)).toEqual(['resnet18 on imagefolder']);
    expect(modelsOfCommand(['bench', '--config', 'sweep.json'], read)).toEqual(['resnet20', 'resnet34 on imagefolder']);
    expect(modelsOfCommand(['bench', '--datasets', 'mnist,imagefolder', '--models', 'resnet18,mlp'], read)).toEqual([
      'resnet18 on imagefolder',
      'mlp',
    ]);
  });
  it("keeps the default model equal to the run config's", () => {
    expect(FIELD.model.default).toBe(DEFAULT_MODEL);
  });
});
