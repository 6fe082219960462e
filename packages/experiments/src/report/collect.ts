import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ExperimentError } from '../errors.js';
import { parseResultsLine, validateRunSummary } from '../run/results-line.js';
import type { RunSummary } from '../run/summary.js';
import { MACHINE_TOLERANCE } from './machine.js';
import { machineSpeedRange, type MethodSummary } from './summarize.js';

/** Collect run summaries from results files, run directories (result.json) and folders of run directories. */
export function collectRuns(inputs: string[], onWarning: (message: string) => void = () => {}): RunSummary[] {
  const runs: RunSummary[] = [];
  const visit = (p: string, depth: number) => {
    if (!existsSync(p))
      throw new ExperimentError(
        `${p}: no such file or directory; fix: give a dp bench results file (.jsonl), a run directory or a compare directory`,
      );
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'result.json'))) {
        const path = join(p, 'result.json');
        const fix = `write it again with \`dp train --resume ${p}\` (a finished run's checkpoint rewrites it), or leave the directory out`;
        let raw: unknown;
        try {
          raw = JSON.parse(readFileSync(path, 'utf8'));
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          throw new ExperimentError(`${path} is not valid JSON (${e.message}); fix: ${fix}`);
        }
        runs.push(validateRunSummary(raw, path, fix));
      } else if (depth < 2) {
        for (const e of readdirSync(p).sort()) if (statSync(join(p, e)).isDirectory()) visit(join(p, e), depth + 1);
      }
      return;
    }
    readFileSync(p, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // Every line is validated as dp bench validates it (run/results-line.ts): a damaged one is refused.
        const run = parseResultsLine(line, `${p}:${i + 1}`);
        // A run interrupted while appending leaves a partial last line; dp bench redoes that run.
        if (run === 'partial') onWarning(`${p}:${i + 1} is not valid JSON (an interrupted write?); skipped`);
        else if (run) runs.push(run);
      });
  };
  for (const i of inputs) visit(i, 0);
  // The same run given twice (a results file and the run directories it came from, or a file listed twice) would
  // count as extra seeds: keep one summary per run key, the last one read.
  const byKey = new Map<string, RunSummary>();
  for (const r of runs) byKey.set(r.key ?? JSON.stringify(r.config), r);
  if (byKey.size < runs.length)
    onWarning(`${runs.length - byKey.size} run(s) given more than once (same config and seed); each is counted once`);
  return [...byKey.values()];
}

/** Where the report goes without --out: a run or compare directory itself, else results/x.jsonl -> results/x/. */
export function defaultReportDir(input: string): string {
  if (statSync(input).isDirectory()) return input;
  return join(dirname(input), basename(input).replace(/\.[^.]*$/, '') || 'report');
}

/**
 * The warning a report gets when some runs ran on a machine more than MACHINE_TOLERANCE faster or slower than their
 * full-data run (timed by their evaluation passes) and the costs were not adjusted; undefined otherwise.
 */
export function machineSpeedWarning(summaries: MethodSummary[], adjusted: boolean): string | undefined {
  const range = machineSpeedRange(summaries);
  if (!range || adjusted || (range[0] >= 1 / MACHINE_TOLERANCE && range[1] <= MACHINE_TOLERANCE)) return undefined;
  return (
    `some runs ran on a machine ${range[0].toFixed(2)}-${range[1].toFixed(2)}x as fast as their full-data run (timed by their evaluation passes), ` +
    "so their costs and speed-ups compare different machine states; --adjust-machine-speed adds speed-ups at the full-data run's machine speed"
  );
}
