import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCheckpoint } from '@dp/trainer';
import { fingerprint, readConfigFile, type RunConfig } from '../config/config.js';
import { ExperimentError } from '../errors.js';
import { validateRunSummary } from './results-line.js';
import { UNKNOWN_TRAIN_STEP, type RunSummary } from './summary.js';

/** A start or resume record of log.jsonl, as far as the run directory checks read it. */
export interface StartRecord {
  type?: string;
  data?: { source?: string; labels?: string; pixels?: string };
  environment?: { cpu?: string };
  /** The training step the trainer chose (absent in records written before 2026-12-07, and when it stopped first). */
  trainStep?: { kind?: string };
}

/** A start or resume record of log.jsonl and how many epoch records follow it before the next one. */
export interface LogSegment {
  start: StartRecord;
  epochs: number;
}

/** The start and resume records of log.jsonl, in order, each with its epoch count (a partial last line is skipped). */
export function logSegments(runDir: string): LogSegment[] {
  const path = join(runDir, 'log.jsonl');
  if (!existsSync(path)) return [];
  const out: LogSegment[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const r = JSON.parse(line) as StartRecord;
      if (r.type === 'start' || r.type === 'resume') out.push({ start: r, epochs: 0 });
      else if (r.type === 'epoch' && out.length > 0) out[out.length - 1]!.epochs++;
    } catch {
      // a partial last line
    }
  }
  return out;
}

/** The start and resume records of log.jsonl, in order (a partial last line is skipped). */
export function startRecords(runDir: string): StartRecord[] {
  return logSegments(runDir).map((s) => s.start);
}

/** The run's first 'start' record in log.jsonl (what it was started on), or undefined. */
export function startRecord(runDir: string): StartRecord | undefined {
  return startRecords(runDir).find((r) => r.type === 'start');
}

/** The distinct values `pick` reads off the run's log segments, in order of first use (undefined: none). */
function distinctOfSegments(runDir: string, pick: (s: LogSegment) => string | undefined): string[] {
  return [...new Set(logSegments(runDir).flatMap((s) => pick(s) ?? []))];
}

/** The distinct CPUs of the run's start and resume records, in order of first use. */
export function runCpus(runDir: string): string[] {
  return distinctOfSegments(runDir, ({ start }) =>
    typeof start.environment?.cpu === 'string' ? start.environment.cpu : undefined,
  );
}

/**
 * The distinct training steps ('compiled', 'eager') of the run's start and resume records, in order of first use.
 * A record without its step that is followed by epochs (written before 2026-12-07) counts as 'unknown'; one
 * followed by none (the run stopped before the trainer chose its step) trained nothing and counts for nothing.
 */
export function runTrainSteps(runDir: string): string[] {
  return distinctOfSegments(runDir, ({ start, epochs }) => {
    if (typeof start.trainStep?.kind === 'string') return start.trainStep.kind;
    return epochs > 0 ? UNKNOWN_TRAIN_STEP : undefined;
  });
}

/** Refuse a run directory made with another config (its config.json), naming the fields that differ. */
export function checkSameConfig(runDir: string, cfg: RunConfig): void {
  const configPath = join(runDir, 'config.json');
  if (!existsSync(configPath)) return;
  const previous = readConfigFile(configPath) as unknown as RunConfig;
  if (fingerprint(previous) !== fingerprint(cfg)) {
    const diff = (Object.keys(cfg) as (keyof RunConfig)[]).filter(
      (k) => JSON.stringify(previous[k]) !== JSON.stringify(cfg[k]),
    );
    throw new ExperimentError(
      `run directory ${runDir} was created with another config (${diff.map((k) => `${k}: ${JSON.stringify(previous[k])} there vs ${JSON.stringify(cfg[k])} now`).join(', ')}); ` +
        'fix: resume with the same options, or choose a new --out directory',
    );
  }
}

/**
 * The directory guard, first step of a run: a directory holding a run of another config is refused, one holding a
 * run is refused unless resuming, and a finished run resumed returns its summary (nothing to train, nothing is
 * rewritten). A damaged result.json is not a finished run: the run resumes from its checkpoint and writes it again.
 */
export function guardRunDir(runDir: string, cfg: RunConfig, resume: boolean): RunSummary | undefined {
  if (!existsSync(join(runDir, 'config.json'))) return undefined;
  checkSameConfig(runDir, cfg);
  if (!resume && readCheckpoint(runDir)) {
    throw new ExperimentError(
      `run directory ${runDir} already holds a run; fix: pass --resume to continue it, or choose a new --out directory`,
    );
  }
  const resultPath = join(runDir, 'result.json');
  if (!resume || !existsSync(resultPath)) return undefined;
  let done: RunSummary | undefined;
  try {
    done = validateRunSummary(JSON.parse(readFileSync(resultPath, 'utf8')), resultPath);
  } catch (e) {
    if (!(e instanceof SyntaxError || e instanceof ExperimentError)) throw e;
    return undefined;
  }
  return done.key === fingerprint(cfg) ? done : undefined;
}

/**
 * Refuse a resume on other data than the run started on (its start record's fingerprints of labels and pixels): data
 * from another folder, or the same folder's files changed since. A run that predates fingerprints gets a warning
 * when the folder differs.
 */
export function checkResumedData(
  runDir: string,
  source: string,
  dataId: { labels: string; pixels: string },
  onWarning: (m: string) => void,
): void {
  const first = startRecord(runDir);
  const was = first?.data?.source;
  if (
    first?.data?.pixels !== undefined &&
    (first.data.pixels !== dataId.pixels || first.data.labels !== dataId.labels)
  ) {
    const what = [
      first.data.labels !== dataId.labels ? 'labels' : '',
      first.data.pixels !== dataId.pixels ? 'pixels' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    if (was && resolve(was) === resolve(source)) {
      throw new ExperimentError(
        `run directory ${runDir} started on the data in ${was}, and the files there have changed since (their ${what} differ from the run's record); ` +
          `fix: restore the files the run started on in ${was} (or give --data-dir a copy of them), or train on the new data in a new run (--out DIR)`,
      );
    }
    throw new ExperimentError(
      `run directory ${runDir} was trained on other data (${was ?? '?'}) than this resume loaded (${source}: its ${what} differ); ` +
        `fix: resume with --data-dir pointing at the run's data${was ? ` (${was})` : ''}, or train on this data in a new run (--out DIR)`,
    );
  }
  if (first?.data?.pixels === undefined && was && resolve(was) !== resolve(source)) {
    onWarning(
      `run directory ${runDir} started on data from ${was}; this resume loaded ${source} (the run predates data fingerprints, so they cannot be compared)`,
    );
  }
}

/**
 * Where a resume's data is, said before anything loads: `dataDir` when given, else the source the run started on
 * (its log's start record), refused when that no longer exists.
 */
export function resumeDataDir(runDir: string, dataDir: string | undefined): string | undefined {
  if (dataDir !== undefined) return dataDir;
  const recorded = startRecord(runDir)?.data?.source;
  if (recorded !== undefined && !existsSync(recorded)) {
    throw new ExperimentError(
      `run directory ${runDir} started on data from ${recorded}, which no longer exists; fix: restore it there, or resume with --data-dir DIR pointing at the same data (it is checked against the run's record)`,
    );
  }
  return recorded;
}
