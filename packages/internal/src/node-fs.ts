import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { FileSystem } from './file-system.js';

/** The FileSystem of node:fs (synchronous calls). */
export const nodeFileSystem: FileSystem = {
  open: (path, flags) => openSync(path, flags),
  write: (fd, data) => writeSync(fd, data),
  fsync: (fd) => fsyncSync(fd),
  size: (fd) => fstatSync(fd).size,
  truncate: (fd, length) => ftruncateSync(fd, length),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => rmSync(path, { force: true }),
};
