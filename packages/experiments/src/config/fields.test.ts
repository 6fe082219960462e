import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, fingerprint, sameSetup, validateRunConfig, type RunConfig } from './config.js';
import { FIELDS, inRange } from './fields.js';
import { configFromFlags, RUN_FLAGS, runFlagsHelp } from './flags.js';

const numeric = FIELDS.filter((f) => (f.type === 'int' || f.type === 'number') && f.flag);

/** Accepted, or the error's message. */
const outcome = (f: () => unknown): true | string => {
  try {
    f();
    return true;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the run config field table', () => {
  it('is the config: its defaults validate, and every field has one entry', () => {
    expect(validateRunConfig({})).toEqual(DEFAULTS);
    expect(new Set(FIELDS.map((f) => f.name)).size).toBe(FIELDS.length);
    expect(Object.keys(DEFAULTS)).toEqual(FIELDS.map((f) => f.name));
  });

  it('gives every field with a flag its flag and its help line', () => {
    const help = runFlagsHelp();
    for (const f of FIELDS) {
      if (!f.flag) continue;
      expect(RUN_FLAGS[f.flag.name], f.name).toBeDefined();
      expect(help, f.name).toContain(`  --${f.flag.name} ${f.flag.arg}`);
    }
    expect(help).not.toContain('{default}');
  });

  it('property: a numeric flag accepts exactly the values the config accepts (no drift between flag and config ranges)', () => {
    const value = fc.oneof(
      fc.integer({ min: -10, max: 70000 }),
      fc.double({ min: -2, max: 5000, noNaN: true }),
      fc.constantFrom(0, 1, 0.5, 0.999, 4096, 4097, 65536, 65537, 100000, 100001, 4294967295, 4294967296),
    );
    fc.assert(
      fc.property(fc.constantFrom(...numeric), value, (f, v) => {
        // Where a field only applies with another (resize, crop: image folders), give that too.
        // Likewise a prune ratio above 0 needs a pruning policy (the default, full data, never prunes).
        const raw: Record<string, unknown> = {
          [f.name]: v,
          ...(f.name === 'resize' || f.name === 'crop' ? { dataset: 'imagefolder' } : {}),
          ...(f.name === 'pruneRatio' ? { policy: 'random' } : {}),
        };
        const flags: Record<string, unknown> = {
          [f.flag!.name]: String(v),
          ...(raw.dataset ? { dataset: 'imagefolder' } : {}),
          ...(raw.policy ? { policy: 'random' } : {}),
        };
        const byConfig = outcome(() => validateRunConfig(raw)) === true;
        const byFlag = outcome(() => configFromFlags(flags)) === true;
        expect(byFlag, `${f.name} = ${v}`).toBe(byConfig);
        expect(byConfig, `${f.name} = ${v}`).toBe(
          inRange(f, v) || (f.name === 'valSplit' && Number.isInteger(v) && v >= 0),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a resize or crop above 4096 by flag as in a config file (they used to drift)', () => {
    for (const flag of ['resize', 'crop']) {
      expect(outcome(() => configFromFlags({ dataset: 'imagefolder', [flag]: '5000' }))).toMatch(
        new RegExp(`--${flag} 5000 is invalid: expected an integer >= 0 and <= 4096`),
      );
    }
  });

  it("keys a run by every field except the ones that change no trained number, and by 'when-set' fields only when set", () => {
    const base = validateRunConfig({});
    for (const f of FIELDS) {
      const changed = {
        ...base,
        [f.name]:
          f.name === 'inference'
            ? 'reference'
            : f.name === 'trainStep'
              ? 'eager'
              : f.name === 'nesterov'
                ? false
                : f.default,
      } as RunConfig;
      if (f.fingerprint === 'never') expect(fingerprint(changed), f.name).toBe(fingerprint(base));
      if (f.fingerprint === 'when-set') expect(fingerprint(base), f.name).not.toContain(`"${f.name}"`);
      if (f.fingerprint === 'always') expect(fingerprint(base), f.name).toContain(`"${f.name}"`);
    }
  });

  it('prices runs of one setup together: the sameSetup fields, with a field a run predates at its default', () => {
    const a = validateRunConfig({ trainSubset: 100 });
    expect(sameSetup(a, { ...a, seed: 5, policy: 'random', pruneRatio: 0.5 })).toBe(true);
    for (const f of FIELDS.filter((x) => x.sameSetup && (x.type === 'int' || x.type === 'number'))) {
      expect(sameSetup(a, { ...a, [f.name]: (a[f.name] as number) + 1 }), f.name).toBe(false);
    }
    const { resize: _r, crop: _c, valSplit: _v, ...older } = a;
    expect(sameSetup(a, older)).toBe(true);
  });
});
