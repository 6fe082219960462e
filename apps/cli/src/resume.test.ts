import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckpoint } from '@dp/trainer';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
const common = [
  'train',
  '--train-subset',
  '1500',
  '--test-subset',
  '300',
  '--epochs',
  '5',
  '--policy',
  'ucb',
  '--prune-ratio',
  '0.5',
  '--batch-size',
  '50',
  '--seed',
  '3',
];

interface Result {
  finalAccuracy: number;
  epochs: { epoch: number; selectionHash: string; samples: number; trainLoss: number }[];
}
const result = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;
const checkpointEpoch = (dir: string): number => {
  try {
    return (JSON.parse(readFileSync(join(dir, 'checkpoint', 'manifest.json'), 'utf8')) as { epoch: number }).epoch;
  } catch {
    return -1;
  }
};

/** Read a varint at `at` of `b`: [value, next offset] (steps and lengths here fit in a double). */
const varint = (b: Buffer, at: number): [number, number] => {
  let v = 0;
  let scale = 1;
  for (;;) {
    const byte = b[at++]!;
    v += (byte & 0x7f) * scale;
    if (byte < 0x80) return [v, at];
    scale *= 128;
  }
};
/** The protobuf fields of message `b` as [field number, wire type, value or sub-buffer]. */
const fields = (b: Buffer): [number, number, number | Buffer][] => {
  const out: [number, number, number | Buffer][] = [];
  let at = 0;
  while (at < b.length) {
    const [tag, next] = varint(b, at);
    at = next;
    const [field, wire] = [Math.floor(tag / 8), tag % 8];
    if (wire === 0) {
      const [v, n] = varint(b, at);
      out.push([field, wire, v]);
      at = n;
    } else if (wire === 1) {
      out.push([field, wire, b.subarray(at, at + 8)]);
      at += 8;
    } else if (wire === 5) {
      out.push([field, wire, b.subarray(at, at + 4)]);
      at += 4;
    } else if (wire === 2) {
      const [len, n] = varint(b, at);
      out.push([field, wire, b.subarray(n, n + len)]);
      at = n + len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
};
/** Every scalar in a run's TensorBoard event files (TFRecords of tensorflow.Event): tag -> steps, in file order. */
const tensorboardSteps = (dir: string): Record<string, number[]> => {
  const steps: Record<string, number[]> = {};
  for (const name of readdirSync(dir).sort()) {
    const b = readFileSync(join(dir, name));
    for (let at = 0; at < b.length;) {
      const len = Number(b.readBigUInt64LE(at));
      const event = b.subarray(at + 12, at + 12 + len);
      at += 12 + len + 4;
      const ev = fields(event);
      const step = (ev.find(([f]) => f === 2)?.[2] as number | undefined) ?? 0;
      for (const [f, , summary] of ev) {
        if (f !== 5) continue;
        for (const [vf, , value] of fields(summary as Buffer)) {
          if (vf !== 1) continue;
          const tag = (fields(value as Buffer).find(([tf]) => tf === 1)![2] as Buffer).toString('utf8');
          (steps[tag] ??= []).push(step);
        }
      }
    }
  }
  return steps;
};

/** The uninterrupted run of `common` that the kill tests compare with: trained once, by the first test that asks. */
let cleanRun: { dir: string; out: ReturnType<typeof run> } | undefined;
const uninterruptedRun = () => {
  if (!cleanRun) {
    const dir = join(mkdtempSync(join(tmpdir(), 'dp-uninterrupted-')), 'run');
    cleanRun = { dir, out: run(...common, '--out', dir) };
  }
  expect(cleanRun.out.status, cleanRun.out.stderr).toBe(0);
  return cleanRun;
};

describe('kill and resume', () => {
  it('a run killed with SIGKILL mid-epoch resumes to exactly the selections of an uninterrupted run [27:K.sigkill-mid-epoch]', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-resume-'));
    const b = join(root, 'killed');
    const { dir: a, out: uninterrupted } = uninterruptedRun();
    // Each epoch line but the last says how long the run has left.
    const epochLines = uninterrupted.stdout.split('\n').filter((l) => /epoch \d\/5 · /.test(l));
    expect(epochLines.map((l) => / · run ETA \d+:\d\d$/.test(l))).toEqual([true, true, true, true, false]);

    const child = spawn(process.execPath, [bin, ...common, '--out', b], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill as soon as the checkpoint after epoch 2 exists: the process is then inside epoch 3.
    while (checkpointEpoch(b) < 1 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(b, 'result.json'))).toBe(false);
    const killedAt = checkpointEpoch(b);
    expect(killedAt).toBeGreaterThanOrEqual(1);
    expect(killedAt).toBeLessThan(4);

    // Both ways a kill can leave log.jsonl (whichever this one did): the epoch of the checkpoint missing (killed
    // between the checkpoint and its log line) and an epoch after it logged (it is trained again).
    const logPath = join(b, 'log.jsonl');
    const before = readFileSync(logPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch?: number });
    const voidEpoch = { ...before.find((r) => r.type === 'epoch')!, epoch: killedAt + 1 };
    const tampered = before.filter((r) => !(r.type === 'epoch' && r.epoch! >= killedAt)).concat([voidEpoch]);
    writeFileSync(logPath, tampered.map((r) => `${JSON.stringify(r)}\n`).join(''));

    const resumed = run('train', '--resume', b);
    expect(resumed.stderr.split('\n').filter((l) => l.startsWith('dp:'))).toEqual([]);
    expect(resumed.status).toBe(0);
    const ra = result(a);
    const rb = result(b);
    expect(rb.epochs.map((e) => e.selectionHash)).toEqual(ra.epochs.map((e) => e.selectionHash));
    expect(rb.epochs.map((e) => e.samples)).toEqual([750, 750, 750, 750, 750]);
    expect(rb.finalAccuracy).toBe(ra.finalAccuracy);
    // The log records the resume.
    const log = readFileSync(join(b, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; fromEpoch?: number });
    expect(log.filter((l) => l.type === 'resume')).toEqual([expect.objectContaining({ fromEpoch: killedAt + 1 })]);
    // Each epoch once, in order, as result.json has it; the checkpoint's epoch restored from the checkpoint.
    const epochs = log.filter((l) => l.type === 'epoch') as unknown as {
      epoch: number;
      selectionHash: string;
      restored?: boolean;
    }[];
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(epochs.map((e) => e.selectionHash)).toEqual(ra.epochs.map((e) => e.selectionHash));
    expect(epochs[killedAt]!.restored).toBe(true);
    // TensorBoard: every scalar at steps 1..5 once (epochs before the checkpoint rewritten from it).
    const tb = tensorboardSteps(join(b, 'tensorboard'));
    expect(Object.keys(tb).sort()).toEqual([
      'cost/training_seconds',
      'test/accuracy',
      'test/loss',
      'train/accuracy',
      'train/loss',
      'train/lr',
      'train/samples',
    ]);
    for (const tag of Object.keys(tb)) expect(tb[tag]).toEqual([1, 2, 3, 4, 5]);
    expect(tensorboardSteps(join(a, 'tensorboard'))).toEqual(tb);
  });

  it('SIGTERM mid-epoch stops at the next batch, announced, with one error line naming the checkpoint (exit 130); the checkpoint stays valid and the resume reproduces the uninterrupted run [27:K.sigterm-train]', async () => {
    const b = join(mkdtempSync(join(tmpdir(), 'dp-sigterm-')), 'run');
    const { dir: a } = uninterruptedRun();
    const child = spawn(process.execPath, [bin, ...common, '--out', b], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (code, signal) => resolve([code, signal])),
    );
    // As a service manager or `kill` would stop it: one SIGTERM once the checkpoint after epoch 2 exists.
    while (checkpointEpoch(b) < 1 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    // It exits by itself (not killed by the signal), with the interrupted code.
    expect(await exited).toEqual([130, null]);
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
    const lines = stderr.split('\n').filter((l) => l.startsWith('dp:'));
    expect(lines).toEqual([
      // The announcement at the signal (the stop waits for the current step), then the one error line.
      expect.stringMatching(/^dp: SIGTERM: stopping after the current step, keeping the last checkpoint; /),
      expect.stringMatching(
        /^dp: error: interrupted \(SIGTERM\) (in epoch \d\/5, step \d+\/\d+|at the end of epoch \d\/5 .*); the last checkpoint \(epoch \d\) is in .*; fix: continue with `dp train --resume .*`/,
      ),
    ]);
    expect(stdout).not.toMatch(/final test accuracy/);
    expect(existsSync(join(b, 'result.json'))).toBe(false);
    // The checkpoint the message names is the one on disk, whole (manifest, checksums and layout verified), and
    // nothing half-written or temporary is left beside it.
    const kept = readCheckpoint(b)!;
    expect(kept.epoch).toBe(checkpointEpoch(b));
    expect(lines[1]).toContain(`the last checkpoint (epoch ${kept.epoch + 1}) is in ${b}`);
    expect(readdirSync(b).sort()).toEqual(['checkpoint', 'config.json', 'log.jsonl', 'tensorboard']);
    const log = () =>
      readFileSync(join(b, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; epoch?: number; signal?: string; fromEpoch?: number });
    expect(log().at(-1)).toMatchObject({ type: 'interrupted', signal: 'SIGTERM' });

    // Continued as the message says: the same selections, losses and accuracy as the uninterrupted run.
    const resumed = run('train', '--resume', b);
    expect(resumed.stderr.split('\n').filter((l) => l.startsWith('dp:'))).toEqual([]);
    expect(resumed.status).toBe(0);
    const [ra, rb] = [result(a), result(b)];
    expect(rb.epochs.map((e) => [e.selectionHash, e.samples, e.trainLoss])).toEqual(
      ra.epochs.map((e) => [e.selectionHash, e.samples, e.trainLoss]),
    );
    expect(rb.finalAccuracy).toBe(ra.finalAccuracy);
    const records = log();
    expect(records.filter((r) => r.type === 'resume')).toEqual([
      expect.objectContaining({ fromEpoch: kept.epoch + 1 }),
    ]);
    expect(records.filter((r) => r.type === 'epoch').map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
  }, 600_000); // it may train the uninterrupted run too (whichever kill test runs first does)

  it('Ctrl-C stops at the next batch, announced, with one error line naming the checkpoint (exit 130); a finished run resumed is left alone [27:K.sigint-batch]', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-interrupt-'));
    const dir = join(root, 'run');
    const child = spawn(process.execPath, [bin, ...common, '--out', dir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (checkpointEpoch(dir) < 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // Said at once (what happens, and that a second Ctrl-C stops at once), then the one line naming the checkpoint.
    expect(stderr.split('\n').filter((l) => l.startsWith('dp:'))).toEqual([
      'dp: SIGINT: stopping after the current step, keeping the last checkpoint; press Ctrl-C again to stop at once',
      expect.stringMatching(
        /^dp: error: interrupted \(SIGINT\) in epoch \d\/5, step \d+\/\d+; the last checkpoint \(epoch \d\) is in .*: continue with `dp train --resume /,
      ),
    ]);
    const types = readFileSync(join(dir, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.at(-1)).toBe('interrupted');
    expect(run('train', '--resume', dir).status).toBe(0);
    const finished = readFileSync(join(dir, 'result.json'), 'utf8');
    const logged = readFileSync(join(dir, 'log.jsonl'), 'utf8');
    const again = run('train', '--resume', dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already finished: final test accuracy [\d.]+% .*nothing to do/);
    expect(readFileSync(join(dir, 'result.json'), 'utf8')).toBe(finished);
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe(logged);
  });

  it("Ctrl-C during an epoch's test evaluation: a checkpointed epoch is kept (the pass finishes), any other stops inside the pass [27:K.sigint-eval]", async () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-interrupt-eval-'));
    // One training step per epoch against 10,000 test images: after epoch 1's log line, nearly all of the next
    // epoch's time is its evaluation. The signal goes out once epoch 1 is logged; a signal that lands in the
    // training step instead is retried (at most 3 attempts).
    const args = [
      'train',
      '--train-subset',
      '100',
      '--test-subset',
      '10000',
      '--epochs',
      '3',
      '--batch-size',
      '100',
      '--policy',
      'random',
      '--prune-ratio',
      '0.5',
    ];
    const interrupt = async (name: string, extra: string[], expected: RegExp, afterEpochs = 1) => {
      let line = '';
      let dir = '';
      for (let attempt = 0; attempt < 3 && !expected.test(line); attempt++) {
        dir = join(root, `${name}${attempt}`);
        const child = spawn(process.execPath, [bin, ...args, ...extra, '--out', dir], {
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const logged = () => (existsSync(join(dir, 'log.jsonl')) ? readFileSync(join(dir, 'log.jsonl'), 'utf8') : '');
        while ((logged().match(/"type":"epoch"/g) ?? []).length < afterEpochs && child.exitCode === null)
          await new Promise((r) => setTimeout(r, 5));
        child.kill('SIGINT');
        expect(await exited).toBe(130);
        line = stderr.split('\n').find((l) => l.startsWith('dp: error:')) ?? '';
      }
      expect(line).toMatch(expected);
      const records = readFileSync(join(dir, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; during?: string; epoch: number });
      return { dir, records };
    };
    // Checkpoint every epoch (the default): epoch 2's evaluation finishes, epoch 2 is logged and checkpointed, then
    // the run stops; resuming trains only epoch 3.
    const kept = await interrupt(
      'kept',
      [],
      /^dp: error: interrupted \(SIGINT\) at the end of epoch 2\/3 \(its test evaluation was left to finish so the epoch could be checkpointed\); the last checkpoint \(epoch 2\) is in /,
    );
    expect(kept.records.slice(-2).map((r) => [r.type, r.epoch, r.during])).toEqual([
      ['epoch', 1, undefined],
      ['interrupted', 1, 'end of epoch'],
    ]);
    const resumed = run('train', '--resume', kept.dir);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout.match(/^epoch \d\/3 · /gm)).toEqual(['epoch 3/3 · ']);
    expect(result(kept.dir).epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    // Epoch 2 would not be checkpointed (every 5 epochs): nothing to keep, so the pass stops inside.
    const cut = await interrupt(
      'cut',
      ['--checkpoint-every', '5'],
      /^dp: error: interrupted \(SIGINT\) in epoch 2\/3, during its test evaluation; no checkpoint was written yet; fix: run the same command again to start the run over$/,
    );
    expect(cut.records.at(-1)).toMatchObject({ type: 'interrupted', epoch: 1, during: 'evaluation' });
    // The last epoch's evaluation: the run finishes and is kept, and the process still stops (exit 130).
    const last = await interrupt(
      'last',
      [],
      /^dp: error: interrupted \(SIGINT\) as the run finished: its result is in .*result\.json/,
      2,
    );
    expect(last.records.at(-1)!.type).toBe('end');
    expect(result(last.dir).epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
  });

  it('two runs of one config train identically, with the default seed 0 too', () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-determinism-'));
    const args = [
      'train',
      '--train-subset',
      '600',
      '--test-subset',
      '200',
      '--epochs',
      '2',
      '--policy',
      'ucb',
      '--prune-ratio',
      '0.5',
      '--batch-size',
      '50',
    ];
    const [a, b] = ['a', 'b'].map((n) => join(root, n));
    expect(run(...args, '--out', a!).status).toBe(0);
    expect(run(...args, '--out', b!).status).toBe(0);
    const [ra, rb] = [result(a!), result(b!)];
    expect(rb.epochs.map((e) => [e.selectionHash, e.trainLoss])).toEqual(
      ra.epochs.map((e) => [e.selectionHash, e.trainLoss]),
    );
    expect(rb.finalAccuracy).toBe(ra.finalAccuracy);
  });

  it('refuses to resume with another config, and to overwrite a run without --resume', () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-resume-'));
    const dir = join(root, 'run');
    expect(run('train', '--train-subset', '300', '--test-subset', '100', '--epochs', '1', '--out', dir).status).toBe(0);
    const other = run('train', '--resume', dir, '--lr', '0.2');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      /dp: error: run directory .* was created with another config \(lr: 0.05 there vs 0.2 now\); fix: /,
    );
    const again = run('train', '--train-subset', '300', '--test-subset', '100', '--epochs', '1', '--out', dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds a run; fix: pass --resume/);
  });

  it('resumes on the data the run started on, and refuses other data', () => {
    // A copy of Fashion-MNIST whose training labels are shifted by one class: same name, sizes and shapes.
    const fmnist = '/usr/share/datasets/fashion-mnist';
    const root = mkdtempSync(join(tmpdir(), 'dp-resume-data-'));
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    for (const d of [a, b]) {
      mkdirSync(d);
      for (const f of ['train-images-idx3-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
        symlinkSync(join(fmnist, f), join(d, f));
    }
    const labels = gunzipSync(readFileSync(join(fmnist, 'train-labels-idx1-ubyte.gz')));
    symlinkSync(join(fmnist, 'train-labels-idx1-ubyte.gz'), join(a, 'train-labels-idx1-ubyte.gz'));
    const shifted = Uint8Array.from(labels, (v, i) => (i < 8 ? v : (v + 1) % 10));
    writeFileSync(join(b, 'train-labels-idx1-ubyte.gz'), gzipSync(shifted));
    const dir = join(root, 'run');
    const first = run(
      'train',
      '--data-dir',
      a,
      '--train-subset',
      '300',
      '--test-subset',
      '100',
      '--epochs',
      '1',
      '--out',
      dir,
    );
    expect(first.status, first.stderr).toBe(0);
    rmSync(join(dir, 'result.json')); // as if stopped after its last checkpoint: a resume loads the data again
    const other = run('train', '--resume', dir, '--data-dir', b);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      /dp: error: run directory .* was trained on other data \(.*\/a\) than this resume loaded \(.*\/b: its (labels|pixels|labels and pixels) differ\); fix: resume with --data-dir/,
    );
    // Without --data-dir, the resume loads the data the run was started on.
    const same = run('train', '--resume', dir);
    expect(same.status, same.stderr).toBe(0);
    expect(same.stdout).toContain(`from ${a}`);
  });
});
