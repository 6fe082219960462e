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

function modelsInJson(path: string, read: ReadText): string[] | undefined {
  const config: unknown = JSON.parse(read(path));
  if (typeof config !== 'object' || config === null) return undefined;
  const { model, models } = config as { model?: unknown; models?: unknown };
  if (Array.isArray(models) && models.every((m) => typeof m === 'string')) return models as string[];
  return typeof model === 'string' ? [model] : undefined;
}

/**
 * The models `argv` (without node and the script) will train: `--model X` / `--model=X`, `--models X,Y` (bench),
 * else the `model` of `--config FILE` or of `--resume DIR`'s config.json, else the default model. [] for a command
 * that trains nothing; undefined when it cannot tell (a config file that does not read): then oneDNN stays off on
 * hosts where it may crash.
 */
export function modelsOfCommand(argv: readonly string[], read: ReadText): string[] | undefined {
  const [command, ...args] = argv;
  if (command === undefined || !TRAINING_COMMANDS.includes(command)) return [];
  const flags = [...flagValues(args, 'model'), ...flagValues(args, 'models').flatMap((v) => v.split(','))]
    .map((m) => m.trim())
    .filter((m) => m !== '');
  if (flags.length > 0) return [...new Set(flags)];
  const config = flagValues(args, 'config').at(-1);
  const resume = flagValues(args, 'resume').at(-1);
  try {
    if (config !== undefined) return modelsInJson(config, read) ?? [DEFAULT_MODEL];
    if (resume !== undefined) return modelsInJson(`${resume.replace(/\/+$/, '')}/config.json`, read);
  } catch {
    return undefined;
  }
  return [DEFAULT_MODEL];
}
