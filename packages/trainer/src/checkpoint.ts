import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TrainError } from './errors.js';

/** A named float32 array (model weight or optimizer slot), in a fixed order. */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Everything needed to continue a run exactly where it stopped (at an epoch boundary). */
export interface CheckpointData {
  /** Last completed epoch (0-based). */
  epoch: number;
  /** Fingerprint of the run's config: a resume with another config is refused. */
  fingerprint: string;
  weights: NamedArray[];
  /** Optimizer iteration count and slots (momentum accumulators) in variable order. */
  optimizer: { iterations: number; slots: NamedArray[] };
  /** JSON state of the pruner (Pruner.state()). */
  pruner: unknown;
  /** Anything else the caller wants back (metrics so far, selection statistics, ...). */
  extra: unknown;
}

interface Manifest {
  format: 'dp-checkpoint';
  version: 1;
  epoch: number;
  fingerprint: string;
  weights: { name: string; shape: number[]; offset: number; length: number }[];
  optimizer: { iterations: number; slots: { name: string; shape: number[]; offset: number; length: number }[] };
  pruner: unknown;
  extra: unknown;
  bytes: number;
}

export interface WriteHooks {
  /** Replaceable for tests (e.g. to simulate a full disk); defaults to node:fs writeSync. */
  write?: (fd: number, data: Uint8Array) => void;
  /** Replaceable for tests (e.g. to simulate a crash between renames); defaults to node:fs renameSync. */
  rename?: (from: string, to: string) => void;
}

const CURRENT = 'checkpoint';
const PREVIOUS = 'checkpoint.previous';

/**
 * Write a checkpoint into `<runDir>/checkpoint` atomically: everything goes to a temporary folder, is fsynced, then
 * replaces the previous checkpoint by renames. A failure (full disk, kill) at any moment leaves the previous
 * checkpoint intact and loadable.
 */
export function writeCheckpoint(runDir: string, data: CheckpointData, hooks: WriteHooks = {}): void {
  const write = hooks.write ?? ((fd: number, d: Uint8Array) => void writeSync(fd, d));
  const rename = hooks.rename ?? renameSync;
  // Temporary folders of crashed writers (any pid) are garbage: one run directory has one writer at a time.
  if (existsSync(runDir)) for (const e of readdirSync(runDir)) if (e.startsWith('checkpoint.tmp-')) rmSync(join(runDir, e), { recursive: true, force: true });
  const tmp = join(runDir, `checkpoint.tmp-${process.pid}`);
  try {
    mkdirSync(tmp, { recursive: true });
    let offset = 0;
    const layout = (arrays: NamedArray[]) =>
      arrays.map((a) => {
        const entry = { name: a.name, shape: a.shape, offset, length: a.values.length };
        offset += a.values.length * 4;
        return entry;
      });
    const manifest: Manifest = {
      format: 'dp-checkpoint',
      version: 1,
      epoch: data.epoch,
      fingerprint: data.fingerprint,
      weights: layout(data.weights),
      optimizer: { iterations: data.optimizer.iterations, slots: layout(data.optimizer.slots) },
      pruner: data.pruner,
      extra: data.extra,
      bytes: 0,
    };
    manifest.bytes = offset;
    const fd = openSync(join(tmp, 'tensors.bin'), 'w');
    try {
      for (const a of [...data.weights, ...data.optimizer.slots]) write(fd, new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const mfd = openSync(join(tmp, 'manifest.json'), 'w');
    try {
      write(mfd, new TextEncoder().encode(JSON.stringify(manifest)));
      fsyncSync(mfd);
    } finally {
      closeSync(mfd);
    }
    const current = join(runDir, CURRENT);
    const previous = join(runDir, PREVIOUS);
    // A loadable checkpoint exists at every moment: the old 'previous' goes only when 'current' replaces it (after a
    // crash between the renames, 'previous' may be the only one left, and stays until the new one is in place).
    if (existsSync(current)) {
      rmSync(previous, { recursive: true, force: true });
      rename(current, previous);
    }
    rename(tmp, current);
    fsyncDir(runDir); // make the renames themselves durable
    rmSync(previous, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : (e as Error).message;
    const kept = loadableEpoch(runDir);
    throw new TrainError(
      `could not write the checkpoint for epoch ${data.epoch + 1} in ${runDir}: ${what}; ` +
        (kept === undefined ? 'no earlier checkpoint exists' : `the previous checkpoint (epoch ${kept + 1}) is intact; fix: free space and resume with --resume ${runDir}`),
    );
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function loadableEpoch(runDir: string): number | undefined {
  try {
    return readCheckpoint(runDir)?.epoch;
  } catch {
    return undefined;
  }
}

/** Read the checkpoint in `runDir` (or the previous one if a crash happened between the final renames). */
export function readCheckpoint(runDir: string): CheckpointData | undefined {
  const dir = [CURRENT, PREVIOUS].map((d) => join(runDir, d)).find((d) => existsSync(join(d, 'manifest.json')));
  if (!dir) return undefined;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (e) {
    throw new TrainError(`${join(dir, 'manifest.json')} is not valid JSON (${(e as Error).message}); fix: delete ${dir} to restart the run`);
  }
  if (manifest.format !== 'dp-checkpoint' || manifest.version !== 1) {
    throw new TrainError(`${dir} is not a dp checkpoint (format ${String(manifest.format)}, version ${String(manifest.version)})`);
  }
  const bin = readFileSync(join(dir, 'tensors.bin'));
  if (bin.length !== manifest.bytes) {
    throw new TrainError(`${join(dir, 'tensors.bin')} has ${bin.length} bytes, the manifest says ${manifest.bytes} (corrupt checkpoint); fix: delete ${dir} to restart the run`);
  }
  const aligned = new Uint8Array(bin.length);
  aligned.set(bin);
  const arr = (e: { name: string; shape: number[]; offset: number; length: number }): NamedArray => ({
    name: e.name,
    shape: e.shape,
    values: new Float32Array(aligned.buffer, e.offset, e.length),
  });
  return {
    epoch: manifest.epoch,
    fingerprint: manifest.fingerprint,
    weights: manifest.weights.map(arr),
    optimizer: { iterations: manifest.optimizer.iterations, slots: manifest.optimizer.slots.map(arr) },
    pruner: manifest.pruner,
    extra: manifest.extra,
  };
}
