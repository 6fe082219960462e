/**
 * A FileSystem over node:fs that injects one fault at a chosen call, for fault-injection tests of the write paths:
 * count a clean run's calls with `countingFileSystem`, then replay it with a fault at each call in turn.
 */
import type { FileSystem } from './file-system.js';
import { nodeFileSystem } from './node-fs.js';

/** The faults a disk can produce. */
export type Fault =
  /** write() takes half of what it is given, then nothing (a disk that fills up mid-write). */
  | 'short-then-full'
  /** write() throws ENOSPC. */
  | 'enospc'
  /** the call throws EROFS (a file system remounted read-only). */
  | 'erofs';

export const FAULTS: readonly Fault[] = ['short-then-full', 'enospc', 'erofs'];

type Call = keyof FileSystem;

/** node:fs that counts its calls of each kind. */
export function countingFileSystem(): { fs: FileSystem; calls: Record<Call, number> } {
  const calls: Record<Call, number> = {
    open: 0,
    write: 0,
    fsync: 0,
    size: 0,
    truncate: 0,
    close: 0,
    rename: 0,
    unlink: 0,
  };
  const fs = Object.fromEntries(
    (Object.keys(calls) as Call[]).map((k) => [
      k,
      (...args: unknown[]) => {
        calls[k]++;
        return (nodeFileSystem[k] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as FileSystem;
  return { fs, calls };
}

const errno = (code: string, call: string) =>
  Object.assign(new Error(`${code}: simulated fault, ${call}`), { code, syscall: call });

/**
 * node:fs with `fault` at the `at`-th (0-based) call of kind `call` ('write', 'open', 'fsync' or 'rename'); every
 * later write also fails for 'short-then-full' (the disk stays full). `injected()` says whether the fault fired.
 */
export function faultyFileSystem(
  call: 'write' | 'open' | 'fsync' | 'rename',
  at: number,
  fault: Fault,
): FileSystem & { injected(): boolean } {
  let n = 0;
  let fired = false;
  const hit = () => {
    const now = n++ === at;
    if (now) fired = true;
    return now;
  };
  const fail = (name: string) => {
    throw errno(fault === 'erofs' ? 'EROFS' : 'ENOSPC', name);
  };
  return {
    ...nodeFileSystem,
    open: (path, flags) => (call === 'open' && hit() ? fail('open') : nodeFileSystem.open(path, flags)),
    write: (fd, data) => {
      if (call === 'write' && fault === 'short-then-full' && fired) return 0;
      if (call !== 'write' || !hit()) return nodeFileSystem.write(fd, data);
      if (fault !== 'short-then-full') return fail('write');
      return data.length > 1 ? nodeFileSystem.write(fd, data.subarray(0, data.length >> 1)) : 0;
    },
    fsync: (fd) => (call === 'fsync' && hit() ? fail('fsync') : nodeFileSystem.fsync(fd)),
    rename: (from, to) => (call === 'rename' && hit() ? fail('rename') : nodeFileSystem.rename(from, to)),
    injected: () => fired,
  };
}

/**
 * Run `write` with `fault` injected at each call of each kind in `calls` in turn (0th, 1st, ... until a run gets no
 * fault): `onFault(error, where)` checks each failure (`error` undefined if none was thrown), `onClean()` the run
 * past the last call of a kind (an error there is rethrown). Returns how many faults fired.
 */
export function faultEveryCall(
  fault: Fault,
  calls: readonly ('write' | 'open' | 'fsync' | 'rename')[],
  write: (fs: FileSystem) => void,
  onFault: (error: unknown, where: string) => void,
  onClean: () => void = () => {},
): number {
  let faults = 0;
  for (const call of calls) {
    for (let at = 0; ; at++) {
      const fs = faultyFileSystem(call, at, fault);
      let error: unknown;
      try {
        write(fs);
      } catch (e) {
        error = e;
      }
      if (!fs.injected()) {
        if (error !== undefined) throw error;
        onClean();
        break;
      }
      faults++;
      onFault(error, `${call} #${at}`);
    }
  }
  return faults;
}
