import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/** A parsed IDX file (the MNIST family's format). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parse IDX bytes (gzipped or not). Only unsigned-byte data (type 0x08) is accepted, as used by
 * MNIST and Fashion-MNIST. Checks the magic number and that the payload length matches the dims.
 */
export function parseIdx(bytes: Uint8Array, file = '<buffer>'): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DataError(
        `${file}: corrupt gzip data (${(e as Error).message})`,
        'delete the file and download it again',
      );
    }
  }
  if (buf.length < 4)
    throw new DataError(
      `${file}: too short for an IDX file (${buf.length} bytes)`,
      'delete the file and download it again',
    );
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) {
    const magic = [...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    throw new DataError(
      `${file}: wrong IDX magic number 0x${magic} (expected 0x000008NN for unsigned-byte data)`,
      'this is not an MNIST-format IDX file; check the path',
    );
  }
  const ndim = buf[3]!;
  if (ndim < 1 || ndim > 4)
    throw new DataError(
      `${file}: IDX header says ${ndim} dimensions (expected 1 to 4)`,
      'the file is corrupt; download it again',
    );
  const header = 4 + 4 * ndim;
  if (buf.length < header)
    throw new DataError(`${file}: truncated IDX header`, 'the file is corrupt; download it again');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = buf.length - header;
  if (actual !== expected) {
    throw new DataError(
      `${file}: IDX payload is ${actual} bytes but the header's dims ${dims.join('x')} need ${expected}${actual < expected ? ' (truncated file)' : ''}`,
      'the file is corrupt or truncated; delete it and download it again',
    );
  }
  // A plain Uint8Array view (not a Buffer), so consumers see one type whatever the source.
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + header, expected) };
}

/** Read and parse an IDX file from disk. */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'check that the file exists and is readable (its permissions), or download it again',
    );
  }
  return parseIdx(bytes, path);
}
