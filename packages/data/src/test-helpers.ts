/** Test-only helpers (not exported from the package). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared datasets folder: $DP_SHARED_DATA, else `../shared/datasets` beside the repository root. */
export function sharedDatasets(): string {
  const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
  return process.env.DP_SHARED_DATA ?? resolve(repoRoot, '../shared/datasets');
}

/** `sub` of the shared datasets, or undefined (then the suite is skipped with this reason). */
export function sharedPath(sub: string): string | undefined {
  const p = join(sharedDatasets(), sub);
  return existsSync(p) ? p : undefined;
}

const made: string[] = [];

/** A new temporary directory, removed by `removeTempDirs()` (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dp-data-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A ustar header + padded data for one member (what GNU tar writes for short names). */
export function member(path: string, data: Uint8Array | string, type = '0'): Uint8Array {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const h = new Uint8Array(512);
  const put = (s: string, at: number) => h.set(new TextEncoder().encode(s), at);
  let name = path;
  let prefix = '';
  if (path.length > 100) {
    const cut = path.lastIndexOf('/', 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  put(name, 0);
  put('0000644\0', 100);
  put('0000000\0', 108);
  put('0000000\0', 116);
  put(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  put('00000000000\0', 136);
  put('        ', 148);
  put(type, 156);
  put('ustar\0', 257);
  put('00', 263);
  put(prefix, 345);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const out = new Uint8Array(512 + Math.ceil(body.length / 512) * 512);
  out.set(h);
  out.set(body, 512);
  return out;
}

export function tar(...members: Uint8Array[]): Uint8Array {
  const total = members.reduce((a, m) => a + m.length, 0) + 1024;
  const out = new Uint8Array(total);
  let o = 0;
  for (const m of members) {
    out.set(m, o);
    o += m.length;
  }
  return out;
}

const bundled = new Map<string, string>();

/**
 * A worker entry for tests running from source: src/<entry>.ts bundled with esbuild (the bundler tsup uses) into a
 * temporary .mjs file, since worker threads cannot load TypeScript directly.
 */
export async function bundleForTests(entry: 'loader-worker' | 'decode-worker'): Promise<string> {
  const done = bundled.get(entry);
  if (done) return done;
  const { buildSync } = await import('esbuild');
  const out = join(tempDir('worker'), `${entry}.mjs`);
  buildSync({
    entryPoints: [resolve(fileURLToPath(import.meta.url), `../${entry}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  bundled.set(entry, out);
  return out;
}

export const workerScriptForTests = () => bundleForTests('loader-worker');

/** Byte equality of two typed arrays (vitest's toEqual walks elements one by one: too slow for batches). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
