import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImageFolder } from './folder-scan.js';
import { removeTempDirs, tempDir } from './test-helpers.js';

afterAll(removeTempDirs);

describe('scanImageFolder', () => {
  it('keeps a dangling *.jpg symlink (or a vanished file) listed for decoding to skip, ignores a dangling class symlink, and fingerprints it', () => {
    const root = tempDir('scan');
    mkdirSync(join(root, 'train', 'cat'), { recursive: true });
    writeFileSync(join(root, 'train', 'cat', '1.jpg'), 'x');
    symlinkSync(join(root, 'nowhere.jpg'), join(root, 'train', 'cat', '2.jpg'));
    symlinkSync(join(root, 'no-class'), join(root, 'train', 'ghost'));
    const scan = scanImageFolder(root, 'train');
    expect(scan.classNames).toEqual(['cat']);
    expect(scan.files).toEqual(['cat/1.jpg', 'cat/2.jpg']);
    // The file coming back (the symlink's target appearing) changes the fingerprint, so a cache that skipped it is stale.
    writeFileSync(join(root, 'nowhere.jpg'), 'y');
    const back = scanImageFolder(root, 'train');
    expect(back.files).toEqual(scan.files);
    expect(back.fingerprint).not.toBe(scan.fingerprint);
    rmSync(join(root, 'nowhere.jpg'));
    expect(scanImageFolder(root, 'train').fingerprint).toBe(scan.fingerprint);
  });
});
