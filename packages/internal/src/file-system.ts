/**
 * The file-system calls the dp write paths make, as a tiny interface: node:fs by default (node-fs.ts), replaceable so
 * that a test can inject a short write, a full disk or a failed rename at any call.
 */
export interface FileSystem {
  /**
   * Open `path` ('w': create or truncate for writing; 'a': create or append; 'r': read, e.g. a directory to fsync) and
   * return a descriptor.
   */
  open(path: string, flags: 'w' | 'a' | 'r'): number;
  /** Write a prefix of `data` at the current position; return how many bytes were written (fs.writeSync's contract). */
  write(fd: number, data: Uint8Array): number;
  fsync(fd: number): void;
  /** The size in bytes of the open file `fd`. */
  size(fd: number): number;
  /** Cut the open file `fd` to `length` bytes. */
  truncate(fd: number, length: number): void;
  close(fd: number): void;
  /** Atomically replace `to` by `from` (files or directories). */
  rename(from: string, to: string): void;
  /** Remove the file `path`; a missing file is not an error. */
  unlink(path: string): void;
}
