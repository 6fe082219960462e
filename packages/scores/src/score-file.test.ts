import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreError } from './errors.js';
import { fileURLToPath } from 'node:url';
import { datasetFingerprint } from './fingerprint.js';
import { sha256Hex } from './sha256.js';
import { decodeScoreFile, encodeScoreFile, type ScoreFileHeaderInput } from './score-file.js';
import { readScoreFile, writeScoreFile } from './score-file-io.js';

const labels = Uint8Array.from({ length: 10 }, (_, i) => i % 3);
const fingerprint = datasetFingerprint(labels, 10, 'toy');
const header: ScoreFileHeaderInput = {
  method: 'el2n',
  protocol: { epochs: 20, runs: 2, model: 'cnn-small', seeds: [1, 2], batchSize: 128 },
  dataset: { name: 'toy', size: 10, fingerprint },
  seconds: 12.5,
};
const scores = Float32Array.from({ length: 10 }, (_, i) => i / 7 - 0.5);
const expectOk = { expectSize: 10, expectFingerprint: fingerprint };

/** A header's JSON text with its checksum, as the format defines it (see score-file.ts). */
function sign(h: object): string {
  const { headerSha256: _, ...rest } = h as { headerSha256?: string };
  const body = JSON.stringify(rest);
  return `${body.slice(0, -1)},"headerSha256":"${sha256Hex(new TextEncoder().encode(body))}"}`;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-scores-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('score files', () => {
  it('round-trip through disk exactly, with the header filled in', async () => {
    const path = join(dir, 'el2n.dpscore');
    const written = await writeScoreFile(path, header, scores);
    expect(written.payload.count).toBe(10);
    const back = await readScoreFile(path, expectOk);
    expect(Array.from(back.scores)).toEqual(Array.from(scores));
    expect(back.header).toEqual({
      ...header,
      format: 'dp-scores',
      version: 2,
      payload: written.payload,
      headerSha256: written.headerSha256,
    });
    expect(written.headerSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('encode/decode is the identity on any finite scores (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }),
        (xs) => {
          const s = Float32Array.from(xs);
          const h = { ...header, dataset: { ...header.dataset, size: s.length } };
          const { bytes } = encodeScoreFile(h, s);
          expect(bytes.length % 4).toBe(0);
          expect(Array.from(decodeScoreFile(bytes).scores)).toEqual(Array.from(s));
        },
      ),
      { seed: 11, numRuns: 50 },
    );
  });

  it('refuses every truncation of a valid file (property)', () => {
    const { bytes } = encodeScoreFile(header, scores);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        expect(() => decodeScoreFile(bytes.subarray(0, cut))).toThrow(/truncated|corrupt header|bad header/);
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('detects any flipped payload byte by its checksum (property)', () => {
    const { bytes } = encodeScoreFile(header, scores);
    const start = bytes.length - 40;
    fc.assert(
      fc.property(fc.integer({ min: start, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = bytes.slice();
        bad[at]! ^= x;
        expect(() => decodeScoreFile(bad)).toThrow(/payload checksum mismatch|non-finite/);
      }),
      { seed: 9, numRuns: 100 },
    );
  });

  const corruptions: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    [
      'a truncated payload',
      (b) => b.subarray(0, b.length - 3),
      /is truncated: payload has 37 bytes, expected 40 \(10 float32 scores\); fix: the file is damaged: regenerate it/,
    ],
    [
      'a file shorter than the preamble',
      (b) => b.subarray(0, 5),
      /is truncated: 5 bytes, shorter than the 12-byte preamble/,
    ],
    [
      'bad magic',
      (b) => Uint8Array.from([...new TextEncoder().encode('PK\x03\x04zipx'), ...b.subarray(8)]),
      /is not a dp score file \(magic "PK\\u0003\\u0004zipx", expected "DPSCORES"\)/,
    ],
    ['trailing bytes', (b) => Uint8Array.from([...b, 0, 0, 0, 0]), /has 4 unexpected bytes after its 10 scores/],
    [
      'a corrupt header',
      (b) => {
        const c = b.slice();
        c[12] = 0x5b;
        c[13] = 0x5b;
        return c;
      },
      /has a corrupt header \(not valid JSON/,
    ],
  ];
  for (const [name, corrupt, message] of corruptions) {
    it(`refuses ${name} with one clear ScoreError`, async () => {
      const path = join(dir, `${name.replace(/ /g, '-')}.dpscore`);
      await writeFile(path, corrupt(encodeScoreFile(header, scores).bytes));
      await expect(readScoreFile(path, expectOk)).rejects.toThrow(ScoreError);
      await expect(readScoreFile(path, expectOk)).rejects.toThrow(message);
    });
  }

  it('refuses a header of another format version, or with bad fields', () => {
    const reheader = (h: object) => {
      const json = new TextEncoder().encode(sign(h));
      const padded = Math.ceil(json.length / 4) * 4;
      const out = new Uint8Array(12 + padded + 40).fill(0x20, 12, 12 + padded);
      out.set(new TextEncoder().encode('DPSCORES'));
      new DataView(out.buffer).setUint32(8, padded, true);
      out.set(json, 12);
      return out;
    };
    const good = decodeScoreFile(encodeScoreFile(header, scores).bytes).header;
    expect(() => decodeScoreFile(reheader({ ...good, version: 3 }))).toThrow(
      /has format version 3; this @dp\/scores reads versions 1 and 2; fix: upgrade @dp\/scores/,
    );
    // Correctly signed (so past the header checksum) but invalid.
    expect(() => decodeScoreFile(reheader({ ...good, seconds: -1 }))).toThrow(
      /bad header: seconds = -1: expected a finite number >= 0/,
    );
    expect(() => decodeScoreFile(reheader({ ...good, protocol: { ...good.protocol, seeds: [1] } }))).toThrow(
      /protocol\.seeds = Array\(1\): expected 2 integer seeds/,
    );
    expect(() => decodeScoreFile(reheader({ ...good, dataset: { ...good.dataset, pixels: 'xyz' } }))).toThrow(
      /bad header: dataset\.pixels = "xyz": expected 64 hex digits from pixelFingerprint\(\)/,
    );
    // A version-2 header without its checksum, or with its version digit damaged to 1.
    const bare = (h: object) => {
      const out = reheader(h);
      const text = new TextDecoder().decode(out);
      const at = text.indexOf(',"headerSha256"');
      out.fill(0x20, at, at + 83);
      out[at] = 0x7d;
      return out;
    };
    expect(() => decodeScoreFile(bare(good))).toThrow(
      /has a corrupt header: no header checksum \(headerSha256 is not its last member\); fix: /,
    );
    const damaged = encodeScoreFile(header, scores).bytes;
    damaged[new TextDecoder().decode(damaged).indexOf('"version":2') + 10] = 0x31;
    expect(() => decodeScoreFile(damaged)).toThrow(
      /has a corrupt header: version 1 with version-2 fields \(headerSha256\)/,
    );
  });

  describe('version 1 (no header checksum, no pixel fingerprint)', () => {
    /** A version-1 file as the previous @dp/scores wrote it. */
    const v1 = (dataset: object = header.dataset) => {
      const { bytes: v2 } = encodeScoreFile(header, scores);
      const payload = v2.subarray(v2.length - 40);
      const json = new TextEncoder().encode(
        JSON.stringify({
          format: 'dp-scores',
          version: 1,
          ...header,
          dataset,
          payload: { dtype: 'float32', count: 10, sha256: sha256Hex(payload) },
        }),
      );
      const padded = Math.ceil(json.length / 4) * 4;
      const out = new Uint8Array(12 + padded + 40).fill(0x20, 12, 12 + padded);
      out.set(new TextEncoder().encode('DPSCORES'));
      new DataView(out.buffer).setUint32(8, padded, true);
      out.set(json, 12);
      out.set(payload, 12 + padded);
      return out;
    };

    it('still loads, with every check it allows, and says once what it could not check', () => {
      const warnings: string[] = [];
      const file = decodeScoreFile(
        v1(),
        { ...expectOk, expectPixels: 'a'.repeat(64), onWarning: (m) => warnings.push(m) },
        'old.dpscore',
      );
      expect(Array.from(file.scores)).toEqual(Array.from(scores));
      expect(file.header.version).toBe(1);
      expect(warnings).toEqual([
        "old.dpscore is format version 1: its header (seconds, protocol) has no checksum, and it has no pixel fingerprint, so its images were not compared with the training set's (only size and labels); fix: regenerate it with `dp score` to have it fully checked",
      ]);
      // Silent without a warning channel; the size, fingerprint and payload checks still apply.
      expect(decodeScoreFile(v1(), expectOk).header.seconds).toBe(12.5);
      expect(() =>
        decodeScoreFile(v1(), { expectFingerprint: datasetFingerprint(Uint8Array.from(labels).reverse(), 10, 'toy') }),
      ).toThrow(/was computed on another dataset/);
      const bad = v1();
      bad[bad.length - 1]! ^= 1;
      expect(() => decodeScoreFile(bad)).toThrow(/payload checksum mismatch/);
    });

    it('reads the score files committed under results/scores', async () => {
      for (const name of ['fashion-mnist-el2n-cnn-small-e2-r2', 'fashion-mnist-forgetting-cnn-small-e3-r1']) {
        const warnings: string[] = [];
        const path = fileURLToPath(new URL(`../../../results/scores/${name}.dpscore`, import.meta.url));
        const { header: h, scores: s } = await readScoreFile(path, {
          expectSize: 60000,
          onWarning: (m) => warnings.push(m),
        });
        expect(h).toMatchObject({ version: 1, dataset: { name: 'fashion-mnist', size: 60000 } });
        expect(s).toHaveLength(60000);
        expect(warnings).toEqual([
          expect.stringMatching(/is format version 1: its header \(seconds, protocol\) has no checksum; fix: /),
        ]);
      }
    });
  });

  it('says when a version-2 file has no pixel fingerprint to compare', () => {
    const warnings: string[] = [];
    const { bytes } = encodeScoreFile(header, scores);
    decodeScoreFile(bytes, { ...expectOk, expectPixels: 'a'.repeat(64), onWarning: (m) => warnings.push(m) }, 'f');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^f is format version 2: it has no pixel fingerprint, so its images were not compared .*; fix: /,
      ),
    ]);
    warnings.length = 0;
    decodeScoreFile(bytes, { ...expectOk, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });

  it('refuses a header whose seconds or epochs were changed (header checksum)', () => {
    const { bytes } = encodeScoreFile(header, scores);
    const text = new TextDecoder().decode(bytes);
    // One digit of "seconds" (the cost charged to static methods) and of protocol.epochs, as a bad disk would.
    for (const [from, to] of [
      ['"seconds":12.5', '"seconds":13.5'],
      ['"epochs":20', '"epochs":29'],
      ['"seeds":[1,2]', '"seeds":[1,3]'],
    ]) {
      const at = text.indexOf(from!);
      expect(at).toBeGreaterThan(0);
      const bad = bytes.slice();
      bad.set(new TextEncoder().encode(to), at);
      expect(() => decodeScoreFile(bad)).toThrow(ScoreError);
      expect(() => decodeScoreFile(bad)).toThrow(
        /has a corrupt header: header checksum mismatch: headerSha256 = [0-9a-f]{12}\.\.\., expected the sha256 of the rest of the header, [0-9a-f]{12}\.\.\.; fix: the file is damaged: regenerate it/,
      );
    }
  });

  it('detects any changed header byte (property)', () => {
    const { bytes } = encodeScoreFile(header, scores);
    const headerEnd = bytes.length - 40;
    fc.assert(
      fc.property(fc.integer({ min: 12, max: headerEnd - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = bytes.slice();
        bad[at]! ^= x;
        expect(() => decodeScoreFile(bad)).toThrow(ScoreError);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('refuses a score file of other images: same name, size and labels, other pixels', () => {
    // Two image folders with the same per-class counts share name ('imagefolder'), size and labels.
    const mine = 'a'.repeat(64);
    const other = 'b'.repeat(64);
    const { bytes } = encodeScoreFile({ ...header, dataset: { ...header.dataset, pixels: mine } }, scores);
    expect(decodeScoreFile(bytes, { ...expectOk, expectPixels: mine }).header.dataset.pixels).toBe(mine);
    expect(() => decodeScoreFile(bytes, { ...expectOk, expectPixels: other })).toThrow(ScoreError);
    expect(() => decodeScoreFile(bytes, { expectPixels: other })).toThrow(
      /other images: .* \('toy', 10 samples\) differs/,
    );
    expect(() => decodeScoreFile(bytes, { ...expectOk, expectPixels: other })).toThrow(
      /was computed on other images: pixel fingerprint \(dataset\.pixels\) aaaaaaaaaaaa\.\.\. \('toy', 10 samples, same labels\) differs from the training set's bbbbbbbbbbbb\.\.\.; fix: use a score file computed on this training set/,
    );
  });

  it('refuses a score file of another dataset (size or fingerprint)', async () => {
    const path = join(dir, 'other.dpscore');
    await writeScoreFile(path, header, scores);
    await expect(readScoreFile(path, { expectSize: 60000 })).rejects.toThrow(
      /holds scores for 10 samples \('toy'\) but the training set has 60000; fix: use a score file computed on this training set/,
    );
    const other = datasetFingerprint(Uint8Array.from(labels).reverse(), 10, 'toy');
    await expect(readScoreFile(path, { expectSize: 10, expectFingerprint: other })).rejects.toThrow(
      /was computed on another dataset: fingerprint [0-9a-f]{12}\.\.\. \('toy', 10 samples\) differs/,
    );
  });

  it('never leaves a half-written file: bad input or a failed write keeps the old file and no temp file', async () => {
    const path = join(dir, 'keep.dpscore');
    await writeScoreFile(path, header, scores);
    const before = await readFile(path);
    await expect(writeScoreFile(path, header, Float32Array.from([...scores.subarray(1), NaN]))).rejects.toThrow(
      /scores\[9\] = NaN is not finite/,
    );
    await expect(writeScoreFile(path, header, scores.subarray(1))).rejects.toThrow(
      /scores has 9 values but dataset\.size is 10/,
    );
    await expect(writeScoreFile(path, { ...header, method: '' }, scores)).rejects.toThrow(
      /score-file header: method = ""/,
    );
    // A write that fails on disk: the target is a directory, so the rename fails after the temp file was written.
    await expect(writeScoreFile(dir, header, scores)).rejects.toThrow(ScoreError);
    await expect(writeScoreFile(join(dir, 'missing', 'x.dpscore'), header, scores)).rejects.toThrow(
      /directory .*missing does not exist; fix: create/,
    );
    expect(await readFile(path)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('says where the file should come from when it is missing', async () => {
    await expect(readScoreFile(join(dir, 'nope.dpscore'))).rejects.toThrow(
      /no score file at .*nope\.dpscore; fix: compute one with `dp score/,
    );
  });
});
