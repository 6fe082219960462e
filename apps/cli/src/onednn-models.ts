/**
 * The models a `dp` command will train, read from its arguments before TensorFlow loads, so bin/dp.mjs can decide
 * TF_ENABLE_ONEDNN_OPTS per model (@dp/trainer oneDnnDecision). Built as its own entry (dist/onednn-models.js): it
 * must not import TensorFlow.
 */

/** The commands that build and train or run models. */
export const TRAINING_COMMANDS: readonly string[] = ['train', 'compare', 'bench', 'probe-cost', 'score'];

/** `--model`'s default (@dp/experiments' run config; a test keeps the two equal). */
export const DEFAULT_MODEL = 'cnn-small';

/** Reads a JSON file's text, or throws. */
export type ReadText = (path: string) => string;

function flagValues(args: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}` && i + 1 < args.length) out.push(args[++i]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}

/** The `model`/`models` and `dataset`/`datasets` of a JSON config file (throws when it does not read). */
function configOf(path: string, read: ReadText): { models?: string[]; datasets: string[] } {
  const config: unknown = JSON.parse(read(path));
  if (typeof config !== 'object' || config === null) return { datasets: [] };
  const { model, models, dataset, datasets } = config as Record<string, unknown>;
  const strings = (list: unknown, one: unknown): string[] | undefined =>
    Array.isArray(list) && list.every((m) => typeof m === 'string')
      ? (list as string[])
      : typeof one === 'string'
        ? [one]
        : undefined;
  return { models: strings(models, model), datasets: strings(datasets, dataset) ?? [] };
}

/** The ResNets whose stem follows the input size (ImageNet stem above 64 px). */
const STEMMED = ['resnet18', 'resnet34', 'resnet50'];

/**
 * Datasets whose image size is only known once the files are read: a ResNet-18/34/50 there may take the ImageNet
 * stem, whose layer shapes oneDNN was not tested with on cache-hiding hosts.
 */
export const SIZE_UNKNOWN_DATASETS: readonly string[] = ['imagefolder'];

/**
 * The models `argv` (without node and the script) will train: `--model X` / `--model=X`, `--models X,Y` (bench),
 * else the `model` of `--config FILE` or of `--resume DIR`'s config.json, else the default model. A ResNet-18/34/50
 * on a dataset of unknown image size (`--dataset imagefolder`) is named `resnet18 on imagefolder`: its stem, and so
 * its layer shapes, are not known before the data loads. [] for a command that trains nothing; undefined when it
 * cannot tell (a config file that does not read): then oneDNN stays off on hosts where it may crash.
 */
export function modelsOfCommand(argv: readonly string[], read: ReadText): string[] | undefined {
  const [command, ...args] = argv;
  if (command === undefined || !TRAINING_COMMANDS.includes(command)) return [];
  const listed = (name: string): string[] =>
    [...flagValues(args, name), ...flagValues(args, `${name}s`).flatMap((v) => v.split(','))]
      .map((m) => m.trim())
      .filter((m) => m !== '');
  const config = flagValues(args, 'config').at(-1);
  const resume = flagValues(args, 'resume').at(-1);
  let file: { models?: string[]; datasets: string[] } = { datasets: [] };
  try {
    if (config !== undefined) file = configOf(config, read);
    else if (resume !== undefined) {
      file = configOf(`${resume.replace(/\/+$/, '')}/config.json`, read);
      if (file.models === undefined) return undefined;
    }
  } catch {
    return undefined;
  }
  const flagged = listed('model');
  const models = flagged.length > 0 ? flagged : (file.models ?? [DEFAULT_MODEL]);
  const flaggedData = listed('dataset');
  const datasets = flaggedData.length > 0 ? flaggedData : file.datasets;
  const unknownSize = datasets.filter((d) => SIZE_UNKNOWN_DATASETS.includes(d));
  return [
    ...new Set(
      models.flatMap((m) =>
        STEMMED.includes(m) && unknownSize.length > 0 ? unknownSize.map((d) => `${m} on ${d}`) : [m],
      ),
    ),
  ];
}
