import { describe, expect, it } from 'vitest';
import { ScoreError } from './errors.js';
import { loadScorePlugin } from './plugin.js';
import { getScore, scoreNames } from './registry.js';

const fixture = (name: string) => new URL(`../test-fixtures/${name}.mjs`, import.meta.url).href;

describe('loadScorePlugin', () => {
  it('imports, validates and registers a plug-in (idempotently)', async () => {
    const s = await loadScorePlugin(fixture('constant'));
    expect(s.name).toBe('fixture-constant');
    expect(scoreNames()).toContain('fixture-constant');
    expect(getScore('fixture-constant')).toBe(s);
    expect(await loadScorePlugin(fixture('constant'))).toBe(s);
    const t = s.create(3);
    t.update({ ids: [1], losses: [0] });
    expect(Array.from(t.values())).toEqual([0, 1, 0]);
  });

  it('says a missing package is not installed and how to install it', async () => {
    await expect(loadScorePlugin('@dp/score-does-not-exist')).rejects.toThrow(ScoreError);
    await expect(loadScorePlugin('@dp/score-does-not-exist')).rejects.toThrow(/score plug-in '@dp\/score-does-not-exist' is not installed .*; fix: npm install @dp\/score-does-not-exist/);
  });

  it('refuses malformed plug-ins with one clear error each', async () => {
    await expect(loadScorePlugin(fixture('no-default'))).rejects.toThrow(/has no default export; fix: export the Score object as the module's default export/);
    await expect(loadScorePlugin(fixture('malformed'))).rejects.toThrow(/is not a valid score: inputs contains "pixels": allowed are logits, labels/);
    await expect(loadScorePlugin(fixture('throws'))).rejects.toThrow(/failed to load: plug-in exploded at import time; fix: fix or reinstall/);
    await expect(loadScorePlugin('')).rejects.toThrow(/plug-in = "" is invalid/);
    expect(scoreNames()).not.toContain('malformed');
  });

  it('uses the importer it is given (so apps resolve plug-ins from their own node_modules)', async () => {
    const asked: string[] = [];
    await expect(
      loadScorePlugin('some-plugin', { importer: async (s) => (asked.push(s), { default: { name: 'x' } }) }),
    ).rejects.toThrow(/summary must be a non-empty string/);
    expect(asked).toEqual(['some-plugin']);
  });
});
