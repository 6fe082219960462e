import { ExperimentError } from '../errors.js';
import type { ScalarWriter } from './log.js';

/**
 * A run's TensorBoard writer (tfjs-node's summary file writer in `dir`), whose failures are one line naming the folder
 * and a fix (exit code 1, a file-system error) instead of tfjs-node's raw "Invalid TF_Status: 8" with a stack: the
 * folder cannot be created (a file in its place, a read-only or full file system) or an event cannot be written.
 */
export function tensorboardWriter(create: (dir: string) => ScalarWriter, dir: string): ScalarWriter {
  const writer = explained(dir, 'create', () => create(dir));
  return {
    scalar: (name, value, step) => explained(dir, 'write', () => writer.scalar(name, value, step)),
    flush: () => explained(dir, 'write', () => writer.flush()),
  };
}

function explained<T>(dir: string, what: 'create' | 'write', f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw tensorboardError(e, dir, what);
  }
}

/** TensorFlow's status codes (tensorflow/core/protobuf/error_codes.proto) that a file-system failure comes back as. */
const STATUS: Record<number, string> = {
  3: 'invalid argument',
  5: 'not found',
  6: 'already exists',
  7: 'permission denied',
  8: 'resource exhausted: the disk is full',
  9: 'failed precondition',
  13: 'internal error',
};

/** tfjs-node's "Invalid TF_Status: 8\nMessage: ..." as one line with the folder and a fix; other errors unchanged. */
export function tensorboardError(e: unknown, dir: string, what: 'create' | 'write'): unknown {
  const text = e instanceof Error ? e.message : String(e);
  const status = /Invalid TF_Status: (\d+)/.exec(text);
  if (!status) return e;
  const code = Number(status[1]);
  const message = /Message: (.*)/.exec(text)?.[1]?.trim();
  const why = [STATUS[code] ?? `TensorFlow status ${code}`, message].filter(Boolean).join(': ');
  const fix =
    code === 8
      ? `free space on the file system of ${dir} (df -h), then resume the run with --resume`
      : `make ${dir} a folder this user can write (delete a file of that name, or choose another --out)`;
  return new ExperimentError(`cannot ${what} the TensorBoard events in ${dir}: ${why}; fix: ${fix}`, 1);
}
