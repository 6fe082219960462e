import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
});
