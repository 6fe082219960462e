import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExperimentError } from '../errors.js';
import { num } from '../num.js';
import { fileStamp } from '../format.js';
import { AUTO_POLICY, autoPolicyNote, RECOMMENDED_PRUNE_RATIO } from './auto-policy.js';
import { DEFAULTS, readConfigFile, validateRunConfig, type RunConfig } from './config.js';
import { methodTag } from './equal-steps.js';
import { FIELDS } from './fields.js';
import { roleOf } from './methods.js';

/** A parseArgs option spec (node:util), as the CLI declares its flags. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Run flags that set no config field: where the data is, the config file, the backend, help. */
const EXTRA_FLAGS: {
  name: string;
  arg: string;
  after: keyof RunConfig | null;
  type: 'string' | 'boolean';
  help: string;
}[] = [
  { name: 'config', arg: 'FILE', after: null, type: 'string', help: '' },
  {
    name: 'data-dir',
    arg: 'DIR',
    after: 'dataset',
    type: 'string',
    help: 'look for dataset files only here (else $DP_DATA_DIR, the cache, system paths)',
  },
  { name: 'no-nesterov', arg: '', after: null, type: 'boolean', help: '' },
  { name: 'gpu', arg: '', after: 'equalSteps', type: 'boolean', help: 'use @tensorflow/tfjs-node-gpu (README: GPU)' },
  {
    name: 'allow-cpu',
    arg: '',
    after: 'equalSteps',
    type: 'boolean',
    help: 'run on the pure-JS backend if the native one cannot load (300-700x slower)',
  },
];

/** Flags that set RunConfig fields (shared by train, compare, bench, score), derived from the field table. */
export const RUN_FLAGS: FlagSpec = {
  ...Object.fromEntries(
    FIELDS.flatMap((f) =>
      f.flag
        ? [[f.flag.name, { type: 'string' as const, ...(f.name === 'policyOptions' ? { multiple: true } : {}) }]]
        : [],
    ),
  ),
  ...Object.fromEntries(EXTRA_FLAGS.map((f) => [f.name, { type: f.type }])),
  help: { type: 'boolean', short: 'h' },
};

/** One flag's help: the flag and its argument in a 24-column field, then its text. */
const helpLine = (flag: string, arg: string, text: string) =>
  `  ${`--${flag}${arg ? ` ${arg}` : ''}`.padEnd(24)}${text}`;

/**
 * The run options' help, from the field table with the defaults of `defaults` filled in (a command's own, such as
 * dp compare's protocol), with the flags that set no field in place.
 */
function runFlagsText(defaults: RunConfig): string {
  const lines: string[] = [
    'Run options (or put the same fields, camelCased, in a JSON file given with --config; flags win):',
  ];
  const extras = (after: keyof RunConfig) =>
    EXTRA_FLAGS.filter((x) => x.after === after).map((x) => helpLine(x.name, x.arg, x.help));
  for (const f of FIELDS) {
    if (f.flag)
      lines.push(helpLine(f.flag.name, f.flag.arg, f.help().replaceAll('{default}', String(defaults[f.name]))));
    lines.push(...extras(f.name));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The run options' help text, with the defaults of `defaults`. `omit` drops flags a command does not take (it rejects
 * them with `rejectRunFlags`) or documents itself; a flag's continuation lines go with it.
 */
export function runFlagsHelp(omit: readonly string[] = [], defaults: RunConfig = DEFAULTS): string {
  if (!omit.length) return runFlagsText(defaults);
  const drop = new Set(omit.map((f) => `--${f}`));
  let keep = true;
  return runFlagsText(defaults)
    .split('\n')
    .filter((line) => {
      const flag = /^ {2}(--[\w-]+)/.exec(line)?.[1];
      if (flag) keep = !drop.has(flag);
      return keep;
    })
    .join('\n');
}

/** Refuse run flags a command does not use, rather than ignoring them: `why` says what to use instead. */
export function rejectRunFlags(
  values: Record<string, unknown>,
  flags: readonly string[],
  command: string,
  why: string,
): void {
  const given = flags.filter((f) => values[f] !== undefined);
  if (given.length)
    throw new ExperimentError(
      `dp ${command} does not take ${given.map((f) => `--${f}`).join(', ')}: ${why}; fix: see \`dp ${command} --help\``,
    );
}

function parseValue(v: string): number | string | boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/**
 * Build a validated RunConfig from --config, then flags (flags win), over `base`. `onAuto` hears, once, which policy
 * `--policy auto` (or "policy": "auto" in the file) resolved to and why.
 */
export function configFromFlags(
  values: Record<string, unknown>,
  base: RunConfig = DEFAULTS,
  onAuto?: (note: string) => void,
): RunConfig {
  const fromFile = typeof values.config === 'string' ? readConfigFile(values.config) : {};
  const v = values as Record<string, string | boolean | string[] | undefined>;
  const flags: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const raw = f.flag ? v[f.flag.name] : undefined;
    if (raw === undefined || f.name === 'policyOptions') continue;
    if (f.type !== 'int' && f.type !== 'number') {
      flags[f.name] = raw;
      continue;
    }
    try {
      // A range without an upper end of its own (MAX_SAFE_INTEGER) is named by its lower end only.
      const range = f.range && f.range.max >= Number.MAX_SAFE_INTEGER ? { ...f.range, max: Infinity } : f.range;
      flags[f.name] = num(v as Record<string, string | undefined>, f.flag!.name, 0, {
        ...range,
        integer: f.type === 'int',
      });
    } catch (e) {
      if (!f.flagFix) throw e;
      throw new ExperimentError(
        `${(e as Error).message.replace(/; fix: .*$/, '')} (${f.flagFix.means}); fix: ${f.flagFix.fix}`,
      );
    }
  }
  if (v['no-nesterov']) flags.nesterov = false;
  const options = v['policy-option'];
  if (Array.isArray(options)) {
    // The file's options are checked before the flags add to them (a non-object would otherwise vanish in the copy).
    if (fromFile.policyOptions !== undefined) validateRunConfig({ policyOptions: fromFile.policyOptions });
    const po: Record<string, number | string | boolean> = {
      ...((fromFile.policyOptions as Record<string, number | string | boolean>) ?? {}),
    };
    for (const o of options) {
      const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(o);
      if (!m)
        throw new ExperimentError(
          `--policy-option ${o} is invalid: expected KEY=VALUE; fix: write it as KEY=VALUE, e.g. --policy-option epsilon=0.2`,
        );
      po[m[1]!] = parseValue(m[2]!);
    }
    flags.policyOptions = po;
  }
  const merged = { ...fromFile, ...flags };
  const auto = merged.policy === AUTO_POLICY;
  if (auto && merged.pruneRatio === undefined && base.pruneRatio === 0) merged.pruneRatio = RECOMMENDED_PRUNE_RATIO;
  // A pruning policy without an explicit ratio prunes half the data.
  if (
    merged.policy !== undefined &&
    roleOf(String(merged.policy)) !== 'full-data' &&
    merged.pruneRatio === undefined &&
    base.pruneRatio === 0
  )
    merged.pruneRatio = 0.5;
  const cfg = validateRunConfig(merged, base);
  if (auto) onAuto?.(autoPolicyNote(cfg));
  return cfg;
}

/** Default run directory: runs/<dataset>-<model>-<policy>[-r<ratio>]-s<seed>-<timestamp>. */
export function defaultRunDir(cfg: RunConfig, root = 'runs'): string {
  const stamp = fileStamp();
  const base = join(root, `${cfg.dataset}-${cfg.model}-${methodTag(cfg)}-s${cfg.seed}-${stamp}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

/** The backend the run flags ask for: --gpu and --allow-cpu, as loadBackend's options. */
export function backendFlags(values: Record<string, unknown>): { gpu: boolean; allowCpu: boolean } {
  return { gpu: Boolean(values.gpu), allowCpu: Boolean(values['allow-cpu']) };
}
