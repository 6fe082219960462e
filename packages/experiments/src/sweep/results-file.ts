import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileSystem } from '@dp/trainer';
import { fingerprint, type RunConfig } from '../config/config.js';
import { methodTag } from '../config/equal-steps.js';
import { appendFileExplained } from '../fs.js';
import { parseResultsLine } from '../run/results-line.js';
import type { RunSummary } from '../run/summary.js';

/**
 * The finished runs of a results file (JSON lines), by key. Every line is validated as a report validates it
 * (run/results-line.ts): a damaged but parseable line is refused (it cannot be counted as done, and silently redoing
 * it would leave two lines for one run); a line that is not JSON, an append cut short by a kill, is passed to
 * `onPartial` (its run is redone).
 */
export function readResultsFile(path: string, onPartial: (where: string) => void = () => {}): Map<string, RunSummary> {
  const done = new Map<string, RunSummary>();
  if (!existsSync(path)) return done;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const r = parseResultsLine(line, `${path}:${i + 1}`);
      if (r === 'partial') onPartial(`${path}:${i + 1}`);
      else if (r) done.set(r.key, r);
    });
  return done;
}

/**
 * Append one finished run to a results file, whole or not at all (a disk that fills up mid-append leaves the file as
 * it was). After an append cut short by a kill the file ends mid-line: start a fresh line. A failed append throws the
 * file-system error with the path, for a one-line error naming the file. `fs` replaces node:fs (tests).
 */
export function appendResult(path: string, summary: RunSummary, fs?: FileSystem): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  appendFileExplained(path, `${endsMidLine(path) ? '\n' : ''}${JSON.stringify(summary)}\n`, fs);
}

/** Whether a file exists and its last byte is not a newline. */
export function endsMidLine(path: string): boolean {
  if (!existsSync(path)) return false;
  const size = statSync(path).size;
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** A sweep run's folder under its runs directory: readable, and unique by the hash of its config's fingerprint. */
export function runName(cfg: RunConfig): string {
  const hash = createHash('sha256').update(fingerprint(cfg)).digest('hex').slice(0, 8);
  return `${cfg.dataset}-${cfg.model}-${methodTag(cfg)}-s${cfg.seed}-${hash}`;
}
