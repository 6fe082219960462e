// CommonJS consumers (issue 24): every library package and subpath export loads with require() from a CommonJS
// project and computes what its ES module build computes. Each check runs twice in a fresh Node process, once as a
// .cjs script (require) and once as a .mjs script (import), from a temporary project outside this repository whose
// node_modules links to the packages: the same resolution a user's `npm install` gives (package.json `exports`).
// Needs the built dist/ of every package (`npm run build`, as `npm test` does first).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LIBRARIES = ['policies', 'data', 'models', 'scores', 'score-margin', 'trainer'];

let project: string;

beforeAll(() => {
  const missing = LIBRARIES.filter((p) => !existsSync(join(repo, 'packages', p, 'dist', 'index.cjs')));
  if (missing.length) throw new Error(`no CommonJS build of ${missing.join(', ')}: run \`npm run build\` first`);
  project = mkdtempSync(join(tmpdir(), 'dp-cjs-'));
  // No "type" field: .js files here would be CommonJS, as in most tfjs-node trainers.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true }));
  mkdirSync(join(project, 'node_modules', '@dp'), { recursive: true });
  for (const p of LIBRARIES) symlinkSync(join(repo, 'packages', p), join(project, 'node_modules', '@dp', p), 'dir');
  // What the user installs beside them: the tfjs-node backend (peer) and fast-check (for @dp/scores/testing).
  symlinkSync(join(repo, 'node_modules', '@tensorflow'), join(project, 'node_modules', '@tensorflow'), 'dir');
  symlinkSync(join(repo, 'node_modules', 'fast-check'), join(project, 'node_modules', 'fast-check'), 'dir');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

interface Run {
  /** The files the specifiers resolved to (relative to packages/). */
  files: string[];
  /** What the check returned. */
  result: unknown;
}

/**
 * Run `body` (an async function body using `load(specifier)`, returning JSON) with require() in a .cjs script and
 * with import() in a .mjs script, each in its own Node process; `specs` are the specifiers whose files are reported.
 */
function runBoth(name: string, specs: string[], body: string): { cjs: Run; esm: Run } {
  const rel = (f: string) => f.slice(f.indexOf('/packages/') + '/packages/'.length);
  const main = `(async () => {\n${body}\n})().then((result) => process.stdout.write(JSON.stringify({ files: ${JSON.stringify(specs)}.map(where).map(${rel.toString()}), result })), (e) => { console.error(e); process.exit(1); });\n`;
  writeFileSync(
    join(project, `${name}.cjs`),
    `'use strict';\nconst load = async (s) => require(s);\nconst where = (s) => require.resolve(s);\n${main}`,
  );
  writeFileSync(
    join(project, `${name}.mjs`),
    `import { fileURLToPath } from 'node:url';\nconst load = (s) => import(s);\nconst where = (s) => fileURLToPath(import.meta.resolve(s));\n${main}`,
  );
  const run = (file: string): Run => {
    const out = execFileSync(process.execPath, [file], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return JSON.parse(out) as Run;
  };
  return { cjs: run(`${name}.cjs`), esm: run(`${name}.mjs`) };
}

/** Both runs loaded the built files of their format and computed the same result. */
function expectSame({ cjs, esm }: { cjs: Run; esm: Run }, files: string[]): void {
  expect(cjs.files).toEqual(files.map((f) => `${f}.cjs`));
  expect(esm.files).toEqual(files.map((f) => `${f}.js`));
  expect(cjs.result).toEqual(esm.result);
}

describe('require() from a CommonJS project gives what import gives', () => {
  it('@dp/policies: createPruner, select and observe make the same selections and state', () => {
    const runs = runBoth(
      'policies',
      ['@dp/policies'],
      `
      const { createPruner, policyNames, PrunerError } = await load('@dp/policies');
      const p = createPruner({ policy: 'ucb', datasetSize: 1000, pruneRatio: 0.7, totalEpochs: 4, seed: 3 });
      const first = p.select(0);
      p.observe(first.indices, Float32Array.from(first.indices, (id) => ((id * 7919) % 1000) / 250));
      const second = p.select(1);
      let field = null;
      try { createPruner({ policy: 'nope', datasetSize: 1, pruneRatio: 0, totalEpochs: 1, seed: 0 }); } catch (e) { field = e instanceof PrunerError ? e.field : 'another error'; }
      return { names: policyNames(), first: [...first.indices], second: [...second.indices], weights: [...second.weights], state: p.state(), field };
    `,
    );
    expectSame(runs, ['policies/dist/index']);
    const result = runs.cjs.result as { first: number[]; second: number[]; field: string };
    expect(result.first).toHaveLength(300);
    expect(result.second).not.toEqual(result.first);
    expect(result.field).toBe('policy');
  });

  it('@dp/data and @dp/data/image-folder: splits, batches built in the loader worker, one DataError class', () => {
    const runs = runBoth(
      'data',
      ['@dp/data', '@dp/data/image-folder'],
      `
      const data = await load('@dp/data');
      const labels = Uint8Array.from({ length: 60 }, (_, i) => i % 3);
      const split = data.splitValidation(labels, 3, 12, 5);
      const size = 50;
      const images = Uint8Array.from({ length: size * 4 * 4 }, (_, i) => (i * 37) % 256);
      const set = { name: 'tiny', split: 'train', size, shape: [4, 4, 1], images, labels: labels.subarray(0, size), numClasses: 3, classNames: ['a', 'b', 'c'], mean: [0.5], std: [0.25] };
      const loader = await data.createBatchLoader(set, { batchSize: 16, augment: 'none', seed: 1, prefetch: 2 });
      const batches = [];
      for (const b of loader.epoch(Uint32Array.from({ length: size }, (_, i) => (i * 7) % size))) batches.push({ ids: [...b.ids], labels: [...b.labels], x: b.x.reduce((s, v) => s + v, 0) });
      const mode = loader.mode;
      await loader.close();
      const folder = await load('@dp/data/image-folder');
      let sameError = null;
      try { await folder.loadImageFolderPairTfjs('none', '/nonexistent/dp-cjs-test'); } catch (e) { sameError = e instanceof data.DataError; }
      const decoder = folder.TFJS_DECODER_MODULE.href.slice(folder.TFJS_DECODER_MODULE.href.indexOf('/packages/'));
      return { validation: [...split.validation], perClass: [...split.perClass], mode, batches, sameError, decoder, datasets: data.datasetNames() };
    `,
    );
    expectSame(runs, ['data/dist/index', 'data/dist/image-folder']);
    const result = runs.cjs.result as { mode: string; batches: unknown[]; sameError: boolean; decoder: string };
    expect(result.mode).toBe('worker');
    expect(result.batches).toHaveLength(4);
    expect(result.sameError).toBe(true);
    // Decode workers import the ES module entry from either build (one decoder identity, one image cache).
    expect(result.decoder).toBe('/packages/data/dist/image-folder.js');
  });

  it('@dp/models: builds the same seeded cnn-small on the tfjs-node backend', () => {
    const runs = runBoth(
      'models',
      ['@dp/models'],
      `
      const tf = await load('@tensorflow/tfjs-node');
      const m = await load('@dp/models');
      const model = m.buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
      const sums = model.getWeights().map((w) => w.dataSync().reduce((s, v) => s + v, 0));
      return { backend: tf.getBackend(), names: m.modelNames(), params: model.countParams(), sums };
    `,
    );
    expectSame(runs, ['models/dist/index']);
    expect((runs.cjs.result as { backend: string }).backend).toBe('tensorflow');
  });

  it('@dp/scores, @dp/scores/testing and @dp/scores/tfjs: trackers, the shared suite and the tfjs edge', () => {
    const runs = runBoth(
      'scores',
      ['@dp/scores', '@dp/scores/testing', '@dp/scores/tfjs'],
      `
      const tf = await load('@tensorflow/tfjs-node');
      const scores = await load('@dp/scores');
      const t = scores.createScoreTracker('el2n', 4);
      t.update({ ids: Uint32Array.of(0, 2), numClasses: 3, logits: Float32Array.of(2, 0, -1, 0.5, 0.4, 0.3), labels: Int32Array.of(0, 2) });
      const tfjs = await load('@dp/scores/tfjs');
      const h = tf.tensor2d([[1, 2], [3, 4], [0, 0.5]]);
      const norms = [...tfjs.featureSqNorms(h)];
      h.dispose();
      const { runScoreSuite } = await load('@dp/scores/testing');
      const cases = [];
      const expect = (a) => ({ toBe: (b) => { if (!Object.is(a, b)) throw new Error('toBe'); }, toEqual: (b) => { if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('toEqual'); }, toThrow: () => { try { a(); } catch { return; } throw new Error('toThrow'); }, toBeGreaterThan: (n) => { if (!(a > n)) throw new Error('toBeGreaterThan'); } });
      runScoreSuite(scores.getScore('loss'), { describe: (_n, fn) => fn(), it: (n) => cases.push(n), expect }, { numRuns: 5 });
      return { names: scores.scoreNames(), values: [...t.values()], counts: [...t.counts()], norms, suite: cases.length };
    `,
    );
    expectSame(runs, ['scores/dist/index', 'scores/dist/testing', 'scores/dist/tfjs']);
    expect((runs.cjs.result as { suite: number }).suite).toBeGreaterThan(3);
  });

  it('@dp/score-margin: a CommonJS @dp/scores loads the plug-in by name into its own registry', () => {
    const runs = runBoth(
      'score-margin',
      ['@dp/score-margin'],
      `
      const scores = await load('@dp/scores');
      const margin = await scores.loadScorePlugin('@dp/score-margin');
      const direct = (await load('@dp/score-margin')).default;
      const t = scores.createScoreTracker('margin', 3);
      t.update({ ids: Uint32Array.of(1, 0), numClasses: 2, logits: Float32Array.of(3, 1, -1, 2), labels: Int32Array.of(0, 0) });
      return { registered: scores.getScore('margin') === margin, sameObject: direct === margin, values: [...t.values()] };
    `,
    );
    expectSame(runs, ['score-margin/dist/index']);
    // The plug-in resolves to the caller's format, so it is the very object the caller's require/import gives.
    expect(runs.cjs.result).toMatchObject({ registered: true, sameObject: true });
  });

  it('@dp/trainer: trains a tiny cnn-small one epoch with a CommonJS pruner (loader worker, costs, pruner feed)', () => {
    const runs = runBoth(
      'trainer',
      ['@dp/trainer'],
      `
      const tf = await load('@tensorflow/tfjs-node');
      const { buildModel } = await load('@dp/models');
      const { createPruner } = await load('@dp/policies');
      const { train, learningRate } = await load('@dp/trainer');
      const size = 96;
      const images = Uint8Array.from({ length: size * 28 * 28 }, (_, i) => (i * 131) % 256);
      const labels = Uint8Array.from({ length: size }, (_, i) => i % 10);
      const set = { name: 'tiny', split: 'train', size, shape: [28, 28, 1], images, labels, numClasses: 10, classNames: [...'0123456789'], mean: [0.5], std: [0.25] };
      const pruner = createPruner({ policy: 'random', datasetSize: size, pruneRatio: 0.5, totalEpochs: 1, seed: 1 });
      const model = buildModel('cnn-small', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
      const r = await train({ model, train: set, pruner, options: { epochs: 1, batchSize: 16, schedule: { name: 'constant', lr: 0.01 } } });
      const lr = learningRate({ name: 'cosine', lr: 0.1 }, 0.5);
      return { epochs: r.epochs.length, kept: r.epochs[0].samples, hash: r.epochs[0].selectionHash, observed: pruner.observedCount, finite: Number.isFinite(r.epochs[0].trainLoss), lr, backend: tf.getBackend() };
    `,
    );
    expectSame(runs, ['trainer/dist/index']);
    expect(runs.cjs.result).toMatchObject({ epochs: 1, kept: 48, observed: 48, finite: true, backend: 'tensorflow' });
  });

  it('TypeScript in a CommonJS project (module node16) gets the .d.cts types of every entry, typed configs included', () => {
    const dir = join(project, 'ts');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['main.cts'],
      }),
    );
    const entries = [
      '@dp/policies',
      '@dp/data',
      '@dp/data/image-folder',
      '@dp/models',
      '@dp/scores',
      '@dp/scores/testing',
      '@dp/scores/tfjs',
      '@dp/score-margin',
      '@dp/trainer',
    ];
    writeFileSync(
      join(dir, 'main.cts'),
      [
        ...entries.map((e, i) => `import m${i} = require('${e}');`),
        `const p = m0.createPruner({ policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1, c: 2 });`,
        `const c: number = p.options.c;`,
        `// @ts-expect-error -- epsilon is not a ucb option`,
        `m0.createPruner({ policy: 'ucb', datasetSize: 10, pruneRatio: 0.5, totalEpochs: 2, seed: 1, epsilon: 0.1 });`,
        `export = [c, ${entries.map((_, i) => `m${i}`).join(', ')}];`,
      ].join('\n'),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const listed = execFileSync(process.execPath, [tsc, '-p', dir, '--listFiles'], { cwd: dir, encoding: 'utf8' });
    const ours = listed.split('\n').filter((f) => f.includes('/packages/') && /\/dist\/[\w-]+\.d\.c?ts$/.test(f));
    for (const e of [
      'policies/dist/index',
      'data/dist/index',
      'data/dist/image-folder',
      'models/dist/index',
      'scores/dist/index',
      'scores/dist/testing',
      'scores/dist/tfjs',
      'score-margin/dist/index',
      'trainer/dist/index',
    ]) {
      expect(ours.some((f) => f.endsWith(`/packages/${e}.d.cts`))).toBe(true);
    }
    expect(ours.filter((f) => f.endsWith('.d.ts'))).toEqual([]);
  });
});
