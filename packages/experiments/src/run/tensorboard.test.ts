import { describe, expect, it } from 'vitest';
import { tensorboardError, tensorboardWriter } from './tensorboard.js';

// tfjs-node's summary writer fails with "Invalid TF_Status: <code>\nMessage: ..." (and a stack); the CLI's test with a
// real full disk is in apps/cli/src/hostile.test.ts (a tmpfs it mounts where it may).
const status = (code: number, message: string) => new Error(`Invalid TF_Status: ${code}\nMessage: ${message}`);

describe('TensorBoard writer errors', () => {
  it('a full disk when the writer is created or writes is one line with the folder and a fix [27:3.tensorboard-writer]', () => {
    const dir = '/runs/a/tensorboard';
    const full = status(8, `${dir}/events.out.tfevents.1; No space left on device`);
    const failing = () => {
      throw full;
    };
    expect(() => tensorboardWriter(failing, dir)).toThrow(
      `cannot create the TensorBoard events in ${dir}: resource exhausted: the disk is full: ${dir}/events.out.tfevents.1; No space left on device; fix: free space on the file system of ${dir} (df -h), then resume the run with --resume`,
    );
    const writer = tensorboardWriter(() => ({ scalar: failing, flush: failing }), dir);
    expect(() => writer.scalar('train/loss', 1, 1)).toThrow(
      /^cannot write the TensorBoard events in .*: resource exhausted/,
    );
    expect(() => writer.flush()).toThrow(/^cannot write the TensorBoard events in .*; fix: free space/);
    const notDir = tensorboardError(status(9, 'Not a directory'), dir, 'create') as Error;
    expect(notDir.message).toMatch(/failed precondition: Not a directory; fix: make .* a folder this user can write/);
    // Any other error is left as it is.
    const other = new Error('something else');
    expect(tensorboardError(other, dir, 'write')).toBe(other);
  });
});
