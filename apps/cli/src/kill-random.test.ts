import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@dp/policies';
import { describe, expect, it } from 'vitest';

// Issue 27: a randomized kill test. One run is killed with SIGKILL at several random moments (process start-up,
// data loading, mid-epoch, inside a checkpoint's writes, during evaluation: wherever the draw lands), continued each
// time the way the CLI tells a user to (`dp train --resume DIR` once config.json exists, else the same command
// again), and must end bit-identical to an uninterrupted run: the same selection hashes, losses and accuracy, each
// epoch logged once, and no temporary file left behind. The kill moments come from a seeded generator, so a failure
// is reproducible: DP_KILL_SEED=<the printed seed> reruns it; DP_KILL_SEED=random explores new moments.

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const common = [
  'train',
  '--train-subset',
  '1200',
  '--test-subset',
  '300',
  '--epochs',
  '4',
  '--policy',
  'ucb',
  '--prune-ratio',
  '0.5',
  '--batch-size',
  '50',
  '--seed',
  '11',
];

interface Result {
  finalAccuracy: number;
  epochs: { epoch: number; selectionHash: string; samples: number; trainLoss: number; testAccuracy: number }[];
}
const result = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;
/** Every file under `dir`, relative, sorted. */
const files = (dir: string, prefix = ''): string[] =>
  readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();

/** Start `args`, SIGKILL it after `ms` unless it ended first; resolves to the signal (null when it exited by itself). */
const killAfter = (args: string[], ms: number) =>
  new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ signal, code });
    });
  });

describe('randomized kills', () => {
  it('a run killed with SIGKILL at several random moments resumes to exactly the uninterrupted run [27:K.sigkill-random]', async () => {
    const raw = process.env.DP_KILL_SEED;
    const seed = raw === 'random' ? Date.now() % 2 ** 31 : raw ? Number(raw) : 20261206;
    const rng = new Rng(seed);
    const root = mkdtempSync(join(tmpdir(), 'dp-kill-random-'));
    const a = join(root, 'uninterrupted');

    const t0 = performance.now();
    const clean = spawnSync(process.execPath, [bin, ...common, '--out', a], { encoding: 'utf8', env });
    expect(clean.status, clean.stderr).toBe(0);
    const wall = performance.now() - t0;
    const ra = result(a);
    const shape = (dir: string) => files(dir).filter((f) => !f.startsWith('tensorboard'));

    // Up to five kills per run directory, each at a uniform moment of the clean run's wall time (at least 150 ms in:
    // node start-up). A continuation may finish before its kill lands (a resume has less left to do, and the
    // machine's speed varies); then that directory is checked and a new one is killed, until at least 4 kills have
    // landed in all (at most 4 directories).
    const all: { dir: string; kills: { ms: number; signal: string | null; resumed: boolean }[] }[] = [];
    const landed = () => all.reduce((n, d) => n + d.kills.filter((k) => k.signal === 'SIGKILL').length, 0);
    while (landed() < 4 && all.length < 4) {
      const b = join(root, `killed-${all.length}`);
      const kills: { ms: number; signal: string | null; resumed: boolean }[] = [];
      all.push({ dir: b, kills });
      const next = () => (existsSync(join(b, 'config.json')) ? ['train', '--resume', b] : [...common, '--out', b]);
      for (let i = 0; i < 5; i++) {
        const resumed = existsSync(join(b, 'config.json'));
        const ms = Math.round(150 + rng.nextFloat() * wall);
        const { signal, code } = await killAfter(next(), ms);
        kills.push({ ms, signal, resumed });
        if (signal === null) {
          expect(code, `seed ${seed}: ${b} attempt ${i} exited with ${code}`).toBe(0);
          break; // finished before the kill landed
        }
      }
      // The last continuation runs to the end (a no-op when the run already finished).
      const last = spawnSync(process.execPath, [bin, ...next()], { encoding: 'utf8', env });
      const context = `seed ${seed}, ${b}, kills ${JSON.stringify(kills)}: ${last.stderr}`;
      console.log(
        `randomized kills: seed ${seed}, ${b}: ${kills.map((k) => `${k.ms} ms ${k.signal ?? 'finished'}${k.resumed ? ' (resume)' : ''}`).join(', ')}`,
      );
      expect(last.status, context).toBe(0);

      const rb = result(b);
      expect(
        rb.epochs.map((e) => e.selectionHash),
        context,
      ).toEqual(ra.epochs.map((e) => e.selectionHash));
      expect(
        rb.epochs.map((e) => [e.samples, e.trainLoss, e.testAccuracy]),
        context,
      ).toEqual(ra.epochs.map((e) => [e.samples, e.trainLoss, e.testAccuracy]));
      expect(rb.finalAccuracy, context).toBe(ra.finalAccuracy);
      // Each epoch once, in order, in the log.
      const log = readFileSync(join(b, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; epoch?: number });
      expect(
        log.filter((r) => r.type === 'epoch').map((r) => r.epoch),
        context,
      ).toEqual([0, 1, 2, 3]);
      // The same files as the uninterrupted run: no temporary, previous-checkpoint or half-written file left behind
      // (TensorBoard may hold one events file per process that wrote to it).
      expect(shape(b), context).toEqual(shape(a));
    }
    expect(landed(), `seed ${seed}: ${JSON.stringify(all)}`).toBeGreaterThanOrEqual(4);
  }, 600_000);
});
