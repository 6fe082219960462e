import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeFileSynced } from '@dp/internal/atomic-write';
import { errorProblem } from '@dp/internal/error';
import { nodeFileSystem, withWrite, type FileSystem, type WriteFn } from './durable.js';
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
  /** 2: with checksums (written since 2026-12-06); 1: without (still read). */
  version: 1 | 2;
  epoch: number;
  fingerprint: string;
  weights: { name: string; shape: number[]; offset: number; length: number }[];
  optimizer: { iterations: number; slots: { name: string; shape: number[]; offset: number; length: number }[] };
  pruner: unknown;
  extra: unknown;
  bytes: number;
  /** SHA-256 (hex) of tensors.bin (version 2). */
  tensorsSha256?: string;
  /** SHA-256 (hex) of this manifest's JSON with this field set to '' (version 2). */
  manifestSha256?: string;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export interface WriteHooks {
  /**
   * Replaceable for tests (e.g. to simulate a full disk or short writes); defaults to node:fs writeSync. Returns the
   * bytes written, which may be fewer than asked: the rest is written by further calls.
   */
  write?: WriteFn;
  /** Replaceable for tests (e.g. to simulate a crash between renames); defaults to node:fs renameSync. */
  rename?: (from: string, to: string) => void;
  /** The whole file-system layer (default node:fs; `write` and `rename` above override its calls): for fault injection. */
  fs?: FileSystem;
}

const CURRENT = 'checkpoint';
const PREVIOUS = 'checkpoint.previous';

/**
 * Write a checkpoint into `<runDir>/checkpoint` atomically: everything goes to a temporary folder, is fsynced, then
 * replaces the previous checkpoint by renames. A failure (full disk, kill) at any moment leaves the previous
 * checkpoint intact and loadable.
 */
export function writeCheckpoint(runDir: string, data: CheckpointData, hooks: WriteHooks = {}): void {
  const base = withWrite(hooks.write, hooks.fs ?? nodeFileSystem);
  const fs: FileSystem = hooks.rename ? { ...base, rename: hooks.rename } : base;
  const rename = (from: string, to: string) => fs.rename(from, to);
  // Temporary folders of crashed writers (any pid) are garbage: one run directory has one writer at a time.
  if (existsSync(runDir))
    for (const e of readdirSync(runDir))
      if (e.startsWith('checkpoint.tmp-')) rmSync(join(runDir, e), { recursive: true, force: true });
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
    const weights = layout(data.weights);
    const slots = layout(data.optimizer.slots);
    const tensors = new Uint8Array(offset);
    let at = 0;
    for (const a of [...data.weights, ...data.optimizer.slots]) {
      tensors.set(new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), at);
      at += a.values.byteLength;
    }
    const manifest: Manifest = {
      format: 'dp-checkpoint',
      version: 2,
      epoch: data.epoch,
      fingerprint: data.fingerprint,
      weights,
      optimizer: { iterations: data.optimizer.iterations, slots },
      pruner: data.pruner,
      extra: data.extra,
      bytes: offset,
      tensorsSha256: sha256(tensors),
      manifestSha256: '',
    };
    manifest.manifestSha256 = sha256(JSON.stringify(manifest));
    writeFileSynced(join(tmp, 'tensors.bin'), tensors, { fs });
    writeFileSynced(join(tmp, 'manifest.json'), JSON.stringify(manifest), { fs });
    const current = join(runDir, CURRENT);
    const previous = join(runDir, PREVIOUS);
    // A loadable checkpoint exists at every moment: the old 'previous' goes only when 'current' replaces it (after a
    // crash between the renames, 'previous' may be the only one left, and stays until the new one is in place).
    if (existsSync(current)) {
      rmSync(previous, { recursive: true, force: true });
      rename(current, previous);
    }
    rename(tmp, current);
    fsyncDir(runDir, { fs }); // make the renames themselves durable
    rmSync(previous, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : errorProblem(e);
    const kept = loadableEpoch(runDir);
    const fix = code === 'ENOSPC' ? 'free space' : 'fix the cause above';
    throw new TrainError(
      `could not write the checkpoint for epoch ${data.epoch + 1} in ${runDir}: ${what}; ` +
        (kept === undefined ? 'no earlier checkpoint exists' : `the previous checkpoint (epoch ${kept + 1}) is intact`),
      kept === undefined
        ? `${fix} and run the same command again (the run starts from its beginning)`
        : `${fix} and resume with --resume ${runDir}`,
    );
  }
}

function loadableEpoch(runDir: string): number | undefined {
  try {
    return readCheckpoint(runDir)?.epoch;
  } catch {
    return undefined;
  }
}

/**
 * After a resume from `<runDir>/checkpoint`: remove a `checkpoint.previous` that a kill between the final renames of a
 * write left behind (it is older than the checkpoint just loaded). Call only once the resume is accepted: a refused
 * resume changes nothing.
 */
export function removeStaleCheckpoint(runDir: string): void {
  if (existsSync(join(runDir, CURRENT, 'manifest.json')))
    rmSync(join(runDir, PREVIOUS), { recursive: true, force: true });
}

/** Read the checkpoint in `runDir` (or the previous one if a crash happened between the final renames). */
export function readCheckpoint(runDir: string): CheckpointData | undefined {
  // A checkpoint folder is only ever put in place whole (a rename of a complete temporary folder), so one without its
  // manifest was damaged afterwards: refused, not read as "no checkpoint" (which would restart the run from scratch).
  const current = join(runDir, CURRENT);
  if (existsSync(current) && !existsSync(join(current, 'manifest.json'))) {
    throw new TrainError(
      `the checkpoint in ${current} is damaged: manifest.json is missing`,
      `delete ${current} to restart the run from its beginning`,
    );
  }
  const dir = [CURRENT, PREVIOUS].map((d) => join(runDir, d)).find((d) => existsSync(join(d, 'manifest.json')));
  if (!dir) return undefined;
  const damaged = (what: string) =>
    new TrainError(
      `the checkpoint in ${dir} is damaged: ${what}`,
      `delete ${dir} to restart the run from its beginning`,
    );
  let text: string;
  let manifest: Manifest;
  try {
    text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw damaged(`manifest.json is not valid JSON (${(e as Error).message})`);
  }
  if (
    manifest === null ||
    typeof manifest !== 'object' ||
    manifest.format !== 'dp-checkpoint' ||
    (manifest.version !== 1 && manifest.version !== 2)
  ) {
    throw new TrainError(
      `${dir} is not a dp checkpoint (format ${String(manifest?.format)}, version ${String(manifest?.version)})`,
      `delete ${dir}, or resume with the dp version that wrote it`,
    );
  }
  if (manifest.version === 2) {
    const claimed = manifest.manifestSha256;
    if (typeof claimed !== 'string' || sha256(JSON.stringify({ ...manifest, manifestSha256: '' })) !== claimed)
      throw damaged('manifest.json does not match its checksum');
  }
  checkLayout(manifest, damaged);
  const binPath = join(dir, 'tensors.bin');
  if (!existsSync(binPath)) throw damaged('tensors.bin is missing');
  const bin = readFileSync(binPath);
  if (bin.length !== manifest.bytes)
    throw damaged(`tensors.bin has ${bin.length} bytes, the manifest says ${manifest.bytes}`);
  if (manifest.version === 2 && sha256(bin) !== manifest.tensorsSha256)
    throw damaged('tensors.bin does not match its checksum');
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

/** The manifest's fields are well formed, and its arrays tile tensors.bin exactly, in order (throws `damaged`). */
function checkLayout(m: Manifest, damaged: (what: string) => TrainError): void {
  const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!isCount(m.epoch)) throw damaged(`epoch = ${JSON.stringify(m.epoch)} is not an integer >= 0`);
  if (typeof m.fingerprint !== 'string') throw damaged('fingerprint is missing');
  if (!m.optimizer || typeof m.optimizer !== 'object' || !isCount(m.optimizer.iterations))
    throw damaged('optimizer.iterations is not an integer >= 0');
  if (!Array.isArray(m.weights) || !Array.isArray(m.optimizer.slots))
    throw damaged('weights or optimizer.slots is not a list');
  let offset = 0;
  for (const e of [...m.weights, ...m.optimizer.slots]) {
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.name === 'string' &&
      Array.isArray(e.shape) &&
      e.shape.every(isCount) &&
      e.length === e.shape.reduce((a, b) => a * b, 1) &&
      e.offset === offset;
    if (!ok)
      throw damaged(
        `the entry for ${JSON.stringify((e as { name?: unknown })?.name)} does not fit the layout (shape, length or offset)`,
      );
    offset += e.length * 4;
  }
  if (m.bytes !== offset) throw damaged(`bytes = ${JSON.stringify(m.bytes)}, the arrays need ${offset}`);
}
