import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/config.js';
import { ExperimentError } from '../errors.js';
import { resumeNote, trainTarget } from './train-target.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'dp-target-'));

describe("trainTarget (dp train's flags as a run)", () => {
  it('a new run goes to --out with the config of its flags; nothing is resumed', () => {
    const out = join(tmp(), 'run');
    const t = trainTarget({ out, epochs: '2', 'data-dir': '/data' });
    expect(t).toEqual({ cfg: { ...DEFAULTS, epochs: 2 }, runDir: out, dataDir: '/data' });
    expect(resumeNote(t)).toBe('');
    expect(trainTarget({}).runDir).toMatch(/^runs\/fashion-mnist-cnn-small-.*-s0-\d{8}-\d{6}/);
  });

  it("a resume takes the run's own config, which flags may only repeat, and says there is no checkpoint yet", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...DEFAULTS, epochs: 4 }));
    const t = trainTarget({ resume: dir });
    expect(t.cfg.epochs).toBe(4);
    expect(t.runDir).toBe(dir);
    expect(t.checkpoint).toBeUndefined();
    expect(resumeNote(t)).toMatch(/^ \(resuming: no checkpoint there yet, so the run starts again from epoch 1;/);
    expect(trainTarget({ resume: dir, out: dir, epochs: '4' }).cfg.epochs).toBe(4);
    expect(() => trainTarget({ resume: dir, epochs: '5' })).toThrow(
      /was created with another config \(epochs: 4 there vs 5 now\)/,
    );
  });

  it('refuses, before anything loads, --out beside another --resume and a resume without a run', () => {
    const dir = tmp();
    expect(() => trainTarget({ resume: dir, out: join(dir, 'x') })).toThrow(ExperimentError);
    expect(() => trainTarget({ resume: dir, out: join(dir, 'x') })).toThrow(/conflicts with --resume/);
    mkdirSync(join(dir, 'empty'));
    expect(() => trainTarget({ resume: join(dir, 'empty') })).toThrow(
      /no run there \(config\.json missing\); fix: give the directory a previous dp train wrote$/,
    );
  });
});
