import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS, faultEveryCall } from '@dp/internal/faulty-fs';
import { describe, expect, it } from 'vitest';
import { describeFsError } from '../fs.js';
import type { RunSummary } from '../run/summary.js';
import { appendResult, readResultsFile } from './results-file.js';

const results = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'results');
const line = readFileSync(join(results, 'fashion-mnist-cnn-small.jsonl'), 'utf8').split('\n')[0]!;
const summary = JSON.parse(line) as RunSummary;

describe('results file appends', () => {
  it('a full disk (ENOSPC, /dev/full) names the results file [27:1.results-line]', () => {
    const d = mkdtempSync(join(tmpdir(), 'dp-results-full-'));
    symlinkSync('/dev/full', join(d, 'r.jsonl'));
    let caught: unknown;
    try {
      appendResult(join(d, 'r.jsonl'), summary);
    } catch (e) {
      caught = e;
    }
    expect(describeFsError(caught)).toMatch(
      new RegExp(`^cannot write ${join(d, 'r.jsonl')}: ENOSPC .*; fix: free space`),
    );
  });

  it('an append cut short is read as partial (its run is redone) and the next line starts on a fresh line [27:1.results-line]', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dp-results-cut-')), 'r.jsonl');
    writeFileSync(path, `${line}\n${line.slice(0, 100)}`);
    const partial: string[] = [];
    expect([...readResultsFile(path, (w) => partial.push(w)).keys()]).toEqual([summary.key]);
    expect(partial).toEqual([`${path}:2`]);
    appendResult(path, summary);
    expect(readFileSync(path, 'utf8').split('\n')).toEqual([line, line.slice(0, 100), JSON.stringify(summary), '']);
  });

  it.each(FAULTS)(
    'a %s fault at any call of an append (a short write, a full or read-only disk): the results file as it was, its runs still done, the error naming it [27:1.results-line]',
    (fault) => {
      const d = mkdtempSync(join(tmpdir(), 'dp-results-fault-'));
      const path = join(d, 'r.jsonl');
      const faults = faultEveryCall(
        fault,
        ['open', 'write', 'fsync'],
        (fs) => {
          writeFileSync(path, `${line}\n`);
          appendResult(path, summary, fs);
        },
        (caught, where) => {
          expect(describeFsError(caught), where).toMatch(new RegExp(`^cannot ${where.split(' ')[0]} ${path}: `));
          expect(readFileSync(path, 'utf8'), where).toBe(`${line}\n`);
          const partial: string[] = [];
          expect([...readResultsFile(path, (w) => partial.push(w)).keys()]).toEqual([summary.key]);
          expect(partial).toEqual([]);
          expect(readdirSync(d)).toEqual(['r.jsonl']);
        },
        () => expect(readFileSync(path, 'utf8')).toBe(`${line}\n${JSON.stringify(summary)}\n`),
      );
      expect(faults).toBe(3);
    },
  );
});
