import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStagedLibrary, locateTfjsNode, notInstalled, owningProject } from './locate.js';
import { headerVersion } from './node-headers.js';

describe('locating tfjs-node', () => {
  it('the project owning a package is the folder above its last node_modules', () => {
    expect(owningProject('/p/node_modules/@tensorflow/tfjs-node')).toBe('/p');
    expect(owningProject('/g/lib/node_modules/@dp/cli/node_modules/@tensorflow/tfjs-node')).toBe(
      '/g/lib/node_modules/@dp/cli',
    );
    expect(owningProject('/somewhere/tfjs-node')).toBe('/somewhere/tfjs-node');
  });

  it("finds the repository's tfjs-node, and reports none from an empty folder with the install command", () => {
    const loc = locateTfjsNode('@tensorflow/tfjs-node', process.cwd());
    expect(loc?.dir).toMatch(/node_modules\/@tensorflow\/tfjs-node$/);
    expect(hasStagedLibrary(loc!.dir)).toBe(true);
    const empty = mkdtempSync(join(tmpdir(), 'dp-locate-'));
    expect(locateTfjsNode('@tensorflow/tfjs-node', empty)).toBeNull();
    expect(hasStagedLibrary(empty)).toBe(false);
    expect(notInstalled('@tensorflow/tfjs-node', empty).message).toMatch(
      /fix: npm install --ignore-scripts @tensorflow\/tfjs-node@4\.22\.0/,
    );
  });

  it('reads the Node version from node_version.h', () => {
    expect(
      headerVersion('#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 19\n#define NODE_PATCH_VERSION 5\n'),
    ).toBe('v20.19.5');
    expect(headerVersion('#define NODE_MAJOR_VERSION 20\n')).toBeNull();
  });
});
