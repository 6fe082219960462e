import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, fingerprint, validateRunConfig, type RunConfig } from './config.js';
import { FIELDS } from './fields.js';
import { configFromFlags, runFlagsHelp } from './flags.js';

/** The first 8 hex digits of the SHA-256 of config keys, as main computed them before the schedule-dependent warm-up. */
const KEYS_BEFORE: Record<string, string> = { cosine: 'ed498736', step: '594d5625' };
const key8 = (cfg: RunConfig) => createHash('sha256').update(fingerprint(cfg)).digest('hex').slice(0, 8);

const results = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'results');

describe('run config', () => {
  it('takes own fields only: __proto__, constructor and toString are unknown fields, not Object.prototype members', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      // JSON.parse makes "__proto__" an own key, as a --config file would.
      const raw = JSON.parse(`{${JSON.stringify(key)}: {}}`) as Record<string, unknown>;
      expect(() => validateRunConfig(raw)).toThrow(
        new RegExp(`^unknown config field "${key}"; fix: remove it \\(known fields: dataset, `),
      );
    }
    expect(() =>
      validateRunConfig(JSON.parse('{"policyOptions": {"__proto__": {"c": 1}}}') as Record<string, unknown>),
    ).toThrow(/^policyOptions\.__proto__ = .* is invalid: expected an option named by letters/);
    expect(() => validateRunConfig({ policyOptions: { c: null } })).toThrow(
      /^policyOptions\.c = null is invalid: expected a finite number, a string or true \/ false; fix: /,
    );
    // A number JSON cannot hold (1e400 in a file parses to Infinity) is shown as what it is, not as null.
    expect(() => validateRunConfig(JSON.parse('{"epochs": 1e400}') as Record<string, unknown>)).toThrow(
      'epochs = Infinity (a number too large for a double) is invalid: expected an integer in [1, 100000]; fix: set epochs to an integer in [1, 100000] (flag --epochs, or the field in the --config file)',
    );
    expect(() => validateRunConfig({ batchSize: 0 })).toThrow(/; fix: set batchSize to .* \(flag --batch-size, /);
  });

  it('leaves the inference path and the training step out of the fingerprint (they change no trained number), but not the batch-norm kernels', () => {
    const base = validateRunConfig({});
    expect(fingerprint(validateRunConfig({ inference: 'reference' }))).toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ trainStep: 'eager' }))).toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ trainStep: 'compiled' }))).toBe(fingerprint(base));
    expect(DEFAULTS.trainStep).toBe('auto');
    expect(fingerprint(validateRunConfig({ batchNorm: 'reference' }))).not.toBe(fingerprint(base));
    expect(fingerprint(validateRunConfig({ epochs: 4 }))).not.toBe(fingerprint(base));
    expect(DEFAULTS.inference).toBe('auto');
  });

  it('keeps the key of every published run (results/*.jsonl): fields added later are fingerprinted only when set', () => {
    let checked = 0;
    for (const file of readdirSync(results).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(results, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { key: string; config: RunConfig };
        expect(fingerprint(validateRunConfig({ ...r.config }))).toBe(r.key);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The CIFAR-10 full-data run's directory name carries the first 8 hex digits of its key's SHA-256.
    const cifarFull = validateRunConfig({
      dataset: 'cifar10-jpeg',
      model: 'resnet20',
      epochs: 80,
      lr: 0.1,
      warmup: 0.02,
    });
    expect(createHash('sha256').update(fingerprint(cifarFull)).digest('hex').slice(0, 8)).toBe('8125d074');
    const resized = validateRunConfig({ dataset: 'imagefolder', resize: 72, crop: 64 });
    expect(fingerprint(resized)).not.toBe(fingerprint(validateRunConfig({ dataset: 'imagefolder', resize: 72 })));
    expect(fingerprint(resized)).toContain('["resize",72]');
  });

  it('warms the learning rate up over 5% of training by default; every results script names its warm-up [27:9.warmup-default]', () => {
    expect(DEFAULTS.warmup).toBe(0.05);
    expect(fingerprint(validateRunConfig({ warmup: 0 }))).not.toBe(fingerprint(DEFAULTS));
    // A script that relied on an earlier default would plan its finished runs again under a new one (other keys).
    const scripts = readdirSync(results).filter((f) => f.endsWith('.sh') && f !== 'run-all.sh');
    expect(scripts.length).toBeGreaterThan(5);
    for (const f of scripts) expect([f, /--warmup \d/.test(readFileSync(join(results, f), 'utf8'))]).toEqual([f, true]);
  });

  it("gives onecycle PyTorch's 30% rising phase unless --warmup is given, and every other schedule 5% [27:9.onecycle-warmup]", () => {
    const onecycle = validateRunConfig({ schedule: 'onecycle' });
    expect(onecycle.warmup).toBe(0.3);
    for (const schedule of ['cosine', 'step', 'linear', 'constant'])
      expect(validateRunConfig({ schedule }).warmup, schedule).toBe(0.05);
    // An explicit value always wins, the default's value included, in either order of the fields.
    expect(validateRunConfig({ schedule: 'onecycle', warmup: 0.05 }).warmup).toBe(0.05);
    expect(validateRunConfig({ warmup: 0, schedule: 'onecycle' }).warmup).toBe(0);
    expect(validateRunConfig({ schedule: 'cosine', warmup: 0.3 }).warmup).toBe(0.3);
    // Over a base config: the base's own default follows a schedule changed on top of it; a value it was given stays.
    expect(validateRunConfig({ schedule: 'cosine' }, onecycle).warmup).toBe(0.05);
    expect(validateRunConfig({ schedule: 'onecycle' }, validateRunConfig({ warmup: 0.1 })).warmup).toBe(0.1);
    expect(validateRunConfig({ epochs: 5 }, onecycle).warmup).toBe(0.3);
    // Flags and a --config file the same way (--schedule from the file, no --warmup anywhere).
    expect(configFromFlags({ schedule: 'onecycle' }).warmup).toBe(0.3);
    expect(configFromFlags({ schedule: 'onecycle', warmup: '0.05' }).warmup).toBe(0.05);
    // A config.json of an onecycle run made under the old default (0.05 written into it) keeps its warm-up and key.
    const old = { ...DEFAULTS, schedule: 'onecycle', warmup: 0.05 };
    expect(fingerprint(validateRunConfig(old))).toBe(fingerprint(old as RunConfig));
    // The other schedules' keys are those of before the dependent default.
    for (const [schedule, key] of Object.entries(KEYS_BEFORE)) expect(key8(validateRunConfig({ schedule }))).toBe(key);
    // The help says both defaults.
    expect(runFlagsHelp()).toMatch(
      /--warmup X +fraction .*\(default 0\.05; 0 = none\); with\n +--schedule onecycle .*\(default 0\.3, /,
    );
    // Every dependent default agrees with the table's default on the table's defaults.
    for (const f of FIELDS.filter((x) => x.dependentDefault))
      expect(f.dependentDefault!(DEFAULTS), f.name).toBe(f.default);
  });

  it('resizes and crops image folders only, and only to a crop that fits', () => {
    expect(() => validateRunConfig({ resize: 32 })).toThrow(
      'resize = 32 conflicts with dataset = "fashion-mnist": only image folders (imagefolder, cifar10-jpeg) are resized or cropped; fix: drop --resize',
    );
    expect(() => validateRunConfig({ dataset: 'imagefolder', resize: 32, crop: 40 })).toThrow(
      /crop = 40 is invalid with resize = 32: .*fix: --crop 32 or less/,
    );
    expect(() => validateRunConfig({ dataset: 'imagefolder', crop: -1 })).toThrow(
      'crop = -1 is invalid: expected an integer in [0, 4096]',
    );
    expect(validateRunConfig({ dataset: 'cifar10-jpeg', crop: 28 }).crop).toBe(28);
  });

  it('names an invalid inference kind and the allowed ones', () => {
    expect(() => validateRunConfig({ inference: 'graph' })).toThrow(
      'unknown inference "graph"; fix: use one of auto, compiled, reference',
    );
    expect(() => validateRunConfig({ trainStep: 'fast' })).toThrow(
      'unknown trainStep "fast"; fix: use one of auto, compiled, eager',
    );
  });
});
