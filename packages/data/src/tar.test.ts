import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractTarGz, readTar } from './index.js';
import { member, removeTempDirs, tar, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

describe('tar.gz extraction', () => {
  const binary = Uint8Array.from({ length: 3073 * 2 + 7 }, (_, i) => (i * 31) & 255);
  const longDir = `cifar-10-batches-bin/${'x'.repeat(120)}`;

  it('extracts files and folders of an archive built here, byte for byte', () => {
    const dir = tempDir('tar');
    const archive = join(dir, 'a.tar.gz');
    writeFileSync(
      archive,
      gzipSync(
        tar(
          member('cifar-10-batches-bin/', '', '5'),
          member('cifar-10-batches-bin/batches.meta.txt', 'airplane\nautomobile\n'),
          member('cifar-10-batches-bin/data_batch_1.bin', binary),
          member(`${longDir}/f.bin`, 'deep'),
        ),
      ),
    );
    const out = join(dir, 'out');
    const files = extractTarGz(archive, out);
    expect(files.sort()).toEqual(
      ['cifar-10-batches-bin/batches.meta.txt', 'cifar-10-batches-bin/data_batch_1.bin', `${longDir}/f.bin`].sort(),
    );
    expect(readFileSync(join(out, 'cifar-10-batches-bin/batches.meta.txt'), 'utf8')).toBe('airplane\nautomobile\n');
    expect(new Uint8Array(readFileSync(join(out, 'cifar-10-batches-bin/data_batch_1.bin')))).toEqual(binary);
    expect(readFileSync(join(out, longDir, 'f.bin'), 'utf8')).toBe('deep');
  });

  it('rejects a corrupt header, a truncated archive and a path escaping the destination', () => {
    const good = tar(member('a/b.bin', binary));
    const flipped = Uint8Array.from(good);
    flipped[10]! ^= 0xff;
    expect(() => readTar(flipped, 't')).toThrow(/t: tar header at byte 0 fails its checksum/);
    expect(() => readTar(good.subarray(0, 2000), 't')).toThrow(
      /t: tar member at byte 0 needs 6153 bytes but the archive ends after 1488/,
    );
    expect(() => readTar(good.subarray(0, 512 + 6656), 't')).toThrow(/ends without its end-of-archive marker/);
    const dir = tempDir('tarbad');
    writeFileSync(join(dir, 'evil.tar.gz'), gzipSync(tar(member('../evil.txt', 'x'))));
    expect(() => extractTarGz(join(dir, 'evil.tar.gz'), join(dir, 'out'))).toThrow(
      /member '..\/evil.txt' would be written outside/,
    );
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    writeFileSync(join(dir, 'cut.tar.gz'), gzipSync(good).subarray(0, 100));
    expect(() => extractTarGz(join(dir, 'cut.tar.gz'), join(dir, 'out'))).toThrow(/cut.tar.gz: corrupt gzip data/);
  });
});
