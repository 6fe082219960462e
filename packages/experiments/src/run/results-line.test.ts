import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResultsLine, validateRunSummary } from './results-line.js';

const results = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'results');
const files = readdirSync(results).filter((f) => f.endsWith('.jsonl'));
const goodLine = readFileSync(join(results, 'fashion-mnist-cnn-small.jsonl'), 'utf8').split('\n')[0]!;
const good = JSON.parse(goodLine) as Record<string, unknown>;

describe('a results line (shared by dp report and dp bench)', () => {
  it('accepts every published run (results/*.jsonl), and reads a partial line as partial', () => {
    let n = 0;
    for (const f of files) {
      readFileSync(join(results, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const r = parseResultsLine(line, `${f}:${i + 1}`);
          if (r && r !== 'partial') n++;
        });
    }
    expect(n).toBeGreaterThan(200);
    expect(parseResultsLine('{"key": "trunc', 'x.jsonl:3')).toBe('partial');
    expect(parseResultsLine('   ', 'x.jsonl:4')).toBeUndefined();
  });

  const epochs = good.epochs as Record<string, unknown>[];
  it.each([
    ['"epochs": null', { epochs: null }, /^r\.jsonl:7: epochs = null is invalid: expected a list of 3 epoch records/],
    [
      'negative seconds',
      { trainingSeconds: -5 },
      /^r\.jsonl:7: trainingSeconds = -5 is invalid: expected a finite number of seconds >= 0; fix: the line is damaged: replace it with the run's own result\.json \(.*result\.json\) on one line, or delete it/,
    ],
    ['accuracy above 1', { finalAccuracy: 90.3 }, /finalAccuracy = 90\.3 is invalid: expected a number in \[0, 1\]/],
    [
      'a share as a string',
      { trainedFraction: '0.5' },
      /trainedFraction = "0\.5" is invalid: expected a number in \[0, 1\]/,
    ],
    ['missing config', { config: undefined }, /^r\.jsonl:7: config is missing: expected the run config object/],
    [
      'a config the run config refuses',
      { config: { ...(good.config as object), prunRatio: 0.5 } },
      /^r\.jsonl:7: config: unknown config field "prunRatio"; fix: the line is damaged/,
    ],
    [
      'a config value out of range',
      { config: { ...(good.config as object), epochs: 0 } },
      /^r\.jsonl:7: config: epochs = 0 is invalid: expected an integer in \[1, 100000\]; fix: the line is damaged/,
    ],
    [
      "a key that is not the config's",
      { key: 'x' },
      /key = "x" is invalid: expected the fingerprint of the line's config/,
    ],
    [
      'an epoch out of order',
      { epochs: [epochs[1], epochs[0], epochs[2]] },
      /epochs\[0\]\.epoch = 1 is invalid: expected 0/,
    ],
    [
      'a NaN-like loss',
      { epochs: [{ ...epochs[0], trainLoss: null }, epochs[1], epochs[2]] },
      /epochs\[0\]\.trainLoss = null is invalid/,
    ],
    [
      'samples that do not add up',
      { samplesTrained: 5 },
      /samplesTrained = 5 is invalid: expected the sum of the epochs' samples/,
    ],
    [
      'a short histogram',
      { selection: { flippedShare: 0, histogram: [1] } },
      /selection\.histogram = \[1\] is invalid: expected a list of 4 counts/,
    ],
    ['a bad date', { finishedAt: 'yesterday' }, /finishedAt = "yesterday" is invalid: expected an ISO date-time/],
  ])('refuses %s, naming file:line, field, value and fix', (_what, change, message) => {
    expect(() => validateRunSummary({ ...good, ...change }, 'r.jsonl:7')).toThrow(message);
  });

  it('refuses lines that are not summaries at all', () => {
    expect(() => parseResultsLine('1', 'r.jsonl:2')).toThrow(
      /^r\.jsonl:2: 1 is not a run summary: expected a JSON object written by dp bench .*; fix: /,
    );
    expect(() => parseResultsLine('{}', 'r.jsonl:2')).toThrow(/^r\.jsonl:2: config is missing/);
    expect(() => parseResultsLine('[]', 'r.jsonl:2')).toThrow(/is not a run summary/);
    expect(() =>
      parseResultsLine(
        JSON.stringify({ ...good, config: { ...(good.config as object), policy: 'equal-steps' } }),
        'r.jsonl:2',
      ),
    ).toThrow(/config\.policy = "equal-steps"/);
  });
});
