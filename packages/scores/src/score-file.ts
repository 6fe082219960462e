import { ScoreError, show } from './errors.js';
import { Sha256, sha256Hex } from './sha256.js';
import type { Json } from './types.js';

/**
 * The score-file format (`.dpscore`, as `dp score` names them), version 2. Little-endian, 4-byte aligned:
 *
 *   offset 0   8 bytes   magic "DPSCORES"
 *   offset 8   uint32    H = byte length of the header (JSON, UTF-8, right-padded with spaces to 4-byte alignment)
 *   offset 12  H bytes   header: ScoreFileHeader
 *   12 + H     4·count   float32 scores, one per sample in dataset order (higher = more important)
 *
 * The header's payload.sha256 is the SHA-256 of the payload bytes. Its last member is headerSha256: the SHA-256 of
 * the header's JSON text as written without that member (the bytes before `,"headerSha256":` followed by `}`), so
 * every header byte is covered too (seconds, protocol, dataset, the payload checksum). Version 1 (still read) had
 * no headerSha256 and no dataset.pixels.
 */
export const SCORE_FILE_MAGIC = 'DPSCORES';
export const SCORE_FILE_VERSION = 2;
const PREAMBLE = 12;
/** Versions this code reads: 1 (no header checksum, no pixel fingerprint) and 2. */
const READABLE_VERSIONS = [1, 2];

/** How the scores were produced (the static-scoring protocol). */
export interface ScoreProtocol {
  /** Training epochs before scoring (0 = at initialisation). */
  epochs: number;
  /** Independent runs averaged. */
  runs: number;
  /** Model name (as in @dp/models). */
  model: string;
  /** One seed per run. */
  seeds: number[];
  /** Anything else worth recording (batch size, learning rate, ...). JSON values only. */
  [key: string]: Json;
}

/** What the writer is given; `format`, `version` and `payload` are filled in. */
export interface ScoreFileHeaderInput {
  /** Score name: 'el2n', 'grand', 'forgetting', ... */
  method: string;
  protocol: ScoreProtocol;
  /**
   * The training set: `fingerprint` = datasetFingerprint (name, size, labels in order), `pixels` =
   * pixelFingerprint (the input bytes in order). Without `pixels` a reader can check the labels but not the images.
   */
  dataset: { name: string; size: number; fingerprint: string; pixels?: string };
  /** Wall-clock seconds spent computing the scores (all runs): the static method's cost. */
  seconds: number;
  /** Optional ISO timestamp. */
  createdAt?: string;
}

export interface ScoreFileHeader extends ScoreFileHeaderInput {
  format: 'dp-scores';
  /** SCORE_FILE_VERSION when written by this code; 1 for older files. */
  version: 1 | 2;
  payload: { dtype: 'float32'; count: number; sha256: string };
  /** SHA-256 of the rest of the header (version 2 on; absent in version 1). */
  headerSha256?: string;
}

export interface ScoreFileExpect {
  /** Number of samples of the training set the scores will be used with. */
  expectSize?: number;
  /** datasetFingerprint() of that training set. */
  expectFingerprint?: string;
  /** pixelFingerprint() of that training set. */
  expectPixels?: string;
  /**
   * Told (one line each) what could not be checked, and the file was accepted anyway: a version-1 file (no header
   * checksum, no pixel fingerprint) or a file written without dataset.pixels. Default: nothing is said.
   */
  onWarning?: (message: string) => void;
}

export interface ScoreFile {
  header: ScoreFileHeader;
  scores: Float32Array;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Validate a header (input or decoded); returns a problem description or null. */
function headerProblem(h: Record<string, unknown>): string | null {
  if (typeof h.method !== 'string' || !/^[a-z][a-z0-9-]*$/.test(h.method))
    return `method = ${show(h.method)}: expected a score name such as 'el2n'`;
  const p = h.protocol as Record<string, unknown> | null;
  if (p === null || typeof p !== 'object' || Array.isArray(p))
    return 'protocol: expected an object { epochs, runs, model, seeds }';
  if (!Number.isInteger(p.epochs) || (p.epochs as number) < 0)
    return `protocol.epochs = ${show(p.epochs)}: expected an integer >= 0`;
  if (!Number.isInteger(p.runs) || (p.runs as number) < 1)
    return `protocol.runs = ${show(p.runs)}: expected an integer >= 1`;
  if (typeof p.model !== 'string' || p.model === '') return `protocol.model = ${show(p.model)}: expected a model name`;
  if (!Array.isArray(p.seeds) || p.seeds.length !== p.runs || !p.seeds.every((s) => Number.isSafeInteger(s))) {
    return `protocol.seeds = ${show(p.seeds)}: expected ${String(p.runs)} integer seeds (one per run)`;
  }
  const d = h.dataset as Record<string, unknown> | null;
  if (d === null || typeof d !== 'object') return 'dataset: expected an object { name, size, fingerprint }';
  if (typeof d.name !== 'string' || d.name === '') return `dataset.name = ${show(d.name)}: expected the dataset name`;
  if (!Number.isInteger(d.size) || (d.size as number) < 1 || (d.size as number) > 2 ** 32 - 1)
    return `dataset.size = ${show(d.size)}: expected an integer >= 1`;
  if (typeof d.fingerprint !== 'string' || !HEX64.test(d.fingerprint))
    return `dataset.fingerprint = ${show(d.fingerprint)}: expected 64 hex digits from datasetFingerprint()`;
  if (d.pixels !== undefined && (typeof d.pixels !== 'string' || !HEX64.test(d.pixels)))
    return `dataset.pixels = ${show(d.pixels)}: expected 64 hex digits from pixelFingerprint()`;
  if (typeof h.seconds !== 'number' || !Number.isFinite(h.seconds) || h.seconds < 0)
    return `seconds = ${show(h.seconds)}: expected a finite number >= 0`;
  if (h.createdAt !== undefined && typeof h.createdAt !== 'string')
    return `createdAt = ${show(h.createdAt)}: expected an ISO date string`;
  try {
    JSON.stringify(p);
  } catch {
    return 'protocol: expected JSON values only';
  }
  return null;
}

function payloadHash(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}

/** The header checksum member, always written last: `,"headerSha256":"<64 hex>"}`. */
const SUM_KEY = ',"headerSha256":"';
const SUM_TAIL = SUM_KEY.length + 64 + 2;

/** The header's JSON text with its checksum appended as the last member. */
function signHeader(body: string): { json: string; sum: string } {
  const sum = sha256Hex(new TextEncoder().encode(body));
  return { json: `${body.slice(0, -1)}${SUM_KEY}${sum}"}`, sum };
}

/**
 * Check a version-2 header's checksum over its raw bytes (padding included: only spaces may follow the JSON).
 * Returns a problem description or null.
 */
function headerSumProblem(raw: Uint8Array): string | null {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0x20) end--;
  if (end < SUM_TAIL + 1) return 'no header checksum (headerSha256 is not its last member)';
  const tail = new TextDecoder().decode(raw.subarray(end - SUM_TAIL, end));
  const m = /^,"headerSha256":"([0-9a-f]{64})"\}$/.exec(tail);
  if (!m) return 'no header checksum (headerSha256 is not its last member)';
  const sum = new Sha256()
    .update(raw.subarray(0, end - SUM_TAIL))
    .update(Uint8Array.of(0x7d))
    .hex();
  return sum === m[1]
    ? null
    : `header checksum mismatch: headerSha256 = ${m[1]!.slice(0, 12)}..., expected the sha256 of the rest of the header, ${sum.slice(0, 12)}...`;
}

/** Encode a score file in memory (validates header and scores). */
export function encodeScoreFile(
  input: ScoreFileHeaderInput,
  scores: Float32Array,
): { bytes: Uint8Array; header: ScoreFileHeader } {
  if (input === null || typeof input !== 'object')
    throw new ScoreError(
      `score-file header = ${show(input)} is invalid`,
      'pass { method, protocol, dataset, seconds }',
      'header',
    );
  const problem = headerProblem(input as unknown as Record<string, unknown>);
  if (problem)
    throw new ScoreError(
      `score-file header: ${problem}`,
      'pass a complete header (see ScoreFileHeaderInput)',
      'header',
    );
  if (!(scores instanceof Float32Array))
    throw new ScoreError(
      `scores = ${show(scores)} is invalid: expected a Float32Array`,
      'pass the scores as a Float32Array',
      'scores',
    );
  if (scores.length !== input.dataset.size) {
    throw new ScoreError(
      `scores has ${scores.length} values but dataset.size is ${input.dataset.size}`,
      'pass one score per training sample',
      'scores',
    );
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]!))
      throw new ScoreError(
        `scores[${i}] = ${scores[i]} is not finite`,
        'a scoring run diverged: re-run it with a lower learning rate',
        'scores',
      );
  }
  const payload = new Uint8Array(scores.length * 4);
  const view = new DataView(payload.buffer);
  for (let i = 0; i < scores.length; i++) view.setFloat32(i * 4, scores[i]!, true);
  const { name, size, fingerprint, pixels } = input.dataset;
  const unsigned: ScoreFileHeader = {
    format: 'dp-scores',
    version: SCORE_FILE_VERSION,
    method: input.method,
    protocol: input.protocol,
    dataset: { name, size, fingerprint, ...(pixels !== undefined ? { pixels } : {}) },
    seconds: input.seconds,
    ...(input.createdAt !== undefined ? { createdAt: input.createdAt } : {}),
    payload: { dtype: 'float32', count: scores.length, sha256: payloadHash(payload) },
  };
  const signed = signHeader(JSON.stringify(unsigned));
  const header: ScoreFileHeader = { ...unsigned, headerSha256: signed.sum };
  const json = new TextEncoder().encode(signed.json);
  const padded = Math.ceil(json.length / 4) * 4;
  const bytes = new Uint8Array(PREAMBLE + padded + payload.length);
  bytes.set(new TextEncoder().encode(SCORE_FILE_MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, padded, true);
  bytes.fill(0x20, PREAMBLE, PREAMBLE + padded);
  bytes.set(json, PREAMBLE);
  bytes.set(payload, PREAMBLE + padded);
  return { bytes, header };
}

const REGENERATE = 'the file is damaged: regenerate it with `dp score` (or copy it again)';

/**
 * Decode and validate a score file read into memory. Every problem is one ScoreError: truncated file, bad magic,
 * bad or unsupported header, header or payload checksum mismatch, size, fingerprint or pixel mismatch with the
 * expected dataset. Version-1 files (no header checksum, no pixel fingerprint) are read with the checks they
 * allow, and `expect.onWarning` is told what was not checked. `where` names the file in messages.
 */
export function decodeScoreFile(bytes: Uint8Array, expect: ScoreFileExpect = {}, where = 'score file'): ScoreFile {
  if (bytes.length < PREAMBLE) {
    throw new ScoreError(
      `${where} is truncated: ${bytes.length} bytes, shorter than the ${PREAMBLE}-byte preamble`,
      REGENERATE,
      'file',
    );
  }
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== SCORE_FILE_MAGIC) {
    throw new ScoreError(
      `${where} is not a dp score file (magic ${JSON.stringify(magic)}, expected "${SCORE_FILE_MAGIC}")`,
      'pass a file written by `dp score` / writeScoreFile',
      'file',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(8, true);
  if (PREAMBLE + headerBytes > bytes.length) {
    throw new ScoreError(
      `${where} is truncated inside its header (${bytes.length} bytes, header needs ${PREAMBLE + headerBytes})`,
      REGENERATE,
      'file',
    );
  }
  const rawHeader = bytes.subarray(PREAMBLE, PREAMBLE + headerBytes);
  let header: ScoreFileHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawHeader)) as ScoreFileHeader;
  } catch (e) {
    throw new ScoreError(
      `${where} has a corrupt header (not valid JSON: ${(e as Error).message})`,
      REGENERATE,
      'header',
    );
  }
  if (header === null || typeof header !== 'object' || header.format !== 'dp-scores') {
    throw new ScoreError(
      `${where} has a bad header (format ${show((header as { format?: unknown } | null)?.format)}, expected "dp-scores")`,
      REGENERATE,
      'header',
    );
  }
  if (!READABLE_VERSIONS.includes(header.version)) {
    throw new ScoreError(
      `${where} has format version ${show(header.version)}; this @dp/scores reads versions ${READABLE_VERSIONS.join(' and ')}`,
      'upgrade @dp/scores, or regenerate the file with this version',
      'header.version',
    );
  }
  const legacy = header.version === 1;
  if (legacy) {
    // Version 1 never wrote these: a version-2 file whose version digit was damaged.
    const v2Fields = [
      'headerSha256' in header ? 'headerSha256' : '',
      header.dataset !== null && typeof header.dataset === 'object' && 'pixels' in header.dataset
        ? 'dataset.pixels'
        : '',
    ].filter(Boolean);
    if (v2Fields.length)
      throw new ScoreError(
        `${where} has a corrupt header: version 1 with version-2 fields (${v2Fields.join(', ')})`,
        REGENERATE,
        'header.version',
      );
  } else {
    const sumProblem = headerSumProblem(rawHeader);
    if (sumProblem)
      throw new ScoreError(`${where} has a corrupt header: ${sumProblem}`, REGENERATE, 'header.headerSha256');
  }
  const problem = headerProblem(header as unknown as Record<string, unknown>);
  if (problem) throw new ScoreError(`${where} has a bad header: ${problem}`, REGENERATE, 'header');
  const p = header.payload;
  if (
    p === null ||
    typeof p !== 'object' ||
    p.dtype !== 'float32' ||
    p.count !== header.dataset.size ||
    typeof p.sha256 !== 'string' ||
    !HEX64.test(p.sha256)
  ) {
    throw new ScoreError(
      `${where} has a bad header: payload = ${show(p)}, expected { dtype: "float32", count: ${header.dataset.size}, sha256 }`,
      REGENERATE,
      'header.payload',
    );
  }
  const start = PREAMBLE + headerBytes;
  const want = p.count * 4;
  const have = bytes.length - start;
  if (have < want) {
    throw new ScoreError(
      `${where} is truncated: payload has ${have} bytes, expected ${want} (${p.count} float32 scores)`,
      REGENERATE,
      'file',
    );
  }
  if (have > want) {
    throw new ScoreError(
      `${where} has ${have - want} unexpected bytes after its ${p.count} scores`,
      REGENERATE,
      'file',
    );
  }
  const payload = bytes.subarray(start);
  if (payloadHash(payload) !== p.sha256) {
    throw new ScoreError(
      `${where} is corrupt: payload checksum mismatch (sha256 differs from the header's)`,
      REGENERATE,
      'file',
    );
  }
  const { name, size, fingerprint, pixels } = header.dataset;
  if (expect.expectSize !== undefined && size !== expect.expectSize) {
    throw new ScoreError(
      `${where} holds scores for ${size} samples ('${name}') but the training set has ${expect.expectSize}`,
      'use a score file computed on this training set (dp score --dataset <it>)',
      'dataset.size',
    );
  }
  if (expect.expectFingerprint !== undefined && fingerprint !== expect.expectFingerprint) {
    throw new ScoreError(
      `${where} was computed on another dataset: fingerprint ${fingerprint.slice(0, 12)}... ('${name}', ${size} samples) differs from the training set's ${String(expect.expectFingerprint).slice(0, 12)}...`,
      'use a score file computed on this training set, in this order (dp score --dataset <it>)',
      'dataset.fingerprint',
    );
  }
  if (expect.expectPixels !== undefined && pixels !== undefined && pixels !== expect.expectPixels) {
    throw new ScoreError(
      `${where} was computed on other images: pixel fingerprint (dataset.pixels) ${pixels.slice(0, 12)}... ('${name}', ${size} samples${expect.expectFingerprint !== undefined ? ', same labels' : ''}) differs from the training set's ${String(expect.expectPixels).slice(0, 12)}...`,
      'use a score file computed on this training set, in this order and at this --resize/--crop (dp score --dataset <it>)',
      'dataset.pixels',
    );
  }
  const scores = new Float32Array(p.count);
  const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < scores.length; i++) {
    const v = pv.getFloat32(i * 4, true);
    if (!Number.isFinite(v))
      throw new ScoreError(`${where} holds a non-finite score at index ${i}`, REGENERATE, 'file');
    scores[i] = v;
  }
  if (expect.onWarning) {
    const unchecked = [
      ...(legacy ? ['its header (seconds, protocol) has no checksum'] : []),
      ...(expect.expectPixels !== undefined && pixels === undefined
        ? [
            "it has no pixel fingerprint, so its images were not compared with the training set's (only size and labels)",
          ]
        : []),
    ];
    if (unchecked.length) {
      expect.onWarning(
        `${where} is format version ${header.version}: ${unchecked.join(', and ')}; fix: regenerate it with \`dp score\` to have it fully checked`,
      );
    }
  }
  return { header, scores };
}
