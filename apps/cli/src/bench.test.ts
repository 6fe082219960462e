import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };
const dp = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });

describe('dp bench', () => {
  it('appends one line per finished run and skips finished runs when restarted [27:K.bench-line-kill]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-bench-'));
    const results = join(dir, 'results.jsonl');
    const sweep = [
      'bench',
      '--results',
      results,
      '--runs-dir',
      join(dir, 'runs'),
      '--policies',
      'full,random',
      '--ratios',
      '0.5',
      '--seeds',
      '0',
      '--train-subset',
      '400',
      '--test-subset',
      '100',
      '--epochs',
      '1',
    ];
    const first = dp(...sweep);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 runs in the sweep, 0 already in .*, 2 to run/);
    expect(first.stdout).toMatch(/^bench: 1\/2 done · elapsed \d+:\d\d · ETA \d+:\d\d$/m);
    expect(first.stdout).toMatch(/^bench: 2\/2 done · elapsed \d+:\d\d · ETA 0:00$/m);
    const lines = readFileSync(results, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { config: { policy: string }; finalAccuracy: number });
    expect(lines.map((l) => l.config.policy)).toEqual(['full', 'random']);
    // An interrupted append leaves a partial line: it is reported and that run is redone, nothing else.
    appendFileSync(results, '{"key": "trunc');
    const again = dp(...sweep, '--seeds', '0,1', '--dry-run');
    expect(again.status).toBe(0);
    // With finished runs of this setup, the sweep's time is estimated before it starts.
    expect(again.stdout).toMatch(
      /4 runs in the sweep, 2 already in .*, 2 to run \(about \d+:\d\d at the latest finished runs' speed\)$/m,
    );
    expect(first.stdout).toMatch(/2 runs in the sweep, 0 already in .*, 2 to run$/m);
    expect(again.stderr).toMatch(/^dp: warning: .*results\.jsonl:3 is not valid JSON/m);
    // Static runs take the sweep's score file; the other policies of the same sweep do not.
    const scores = join(dir, 'el2n.dpscore');
    expect(
      dp('score', '--method', 'el2n', '--epochs', '1', '--runs', '1', '--train-subset', '400', '--out', scores).status,
    ).toBe(0);
    const mixed = dp(...sweep, '--policies', 'random,static', '--score-file', scores, '--dry-run');
    expect(mixed.status, mixed.stderr).toBe(0);
    expect(mixed.stdout).toMatch(/2 runs in the sweep, 1 already in .*, 1 to run/);
    // A single --policy / --prune-ratio would be overridden by the lists: refused, and not in the help.
    const single = dp(...sweep, '--policy', 'ucb', '--dry-run');
    expect(single.status).toBe(2);
    expect(single.stderr).toMatch(
      /^dp: error: dp bench does not take --policy: it takes lists, --policies and --ratios; fix: /m,
    );
    expect(dp('bench', '--help').stdout).not.toMatch(/--policy NAME|--prune-ratio R/);
    // The next finished run starts on a fresh line instead of being glued to the partial one (and lost with it).
    const more = dp(...sweep, '--seeds', '1', '--policies', 'full');
    expect(more.status, more.stderr).toBe(0);
    const tail = readFileSync(results, 'utf8').split('\n'); // [..., partial line, new run, '']
    expect(tail.at(-1)).toBe('');
    expect(tail.at(-3)).toBe('{"key": "trunc');
    expect((JSON.parse(tail.at(-2)!) as { config: { seed: number } }).config.seed).toBe(1);
    const report = dp('report', results, '--out', join(dir, 'report'));
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/\| random @ 0\.5 .*×/);
    // The same runs give the same bytes (a committed report changes only when its runs do).
    const files = ['report.md', 'report.html'].map((f) => readFileSync(join(dir, 'report', f), 'utf8'));
    expect(dp('report', results, '--out', join(dir, 'report')).status).toBe(0);
    expect(['report.md', 'report.html'].map((f) => readFileSync(join(dir, 'report', f), 'utf8'))).toEqual(files);
    // The same runs given twice count once; without --out, results.jsonl's report goes to results/.
    const twice = dp('report', results, results);
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stderr).toMatch(/dp: warning: 3 run\(s\) given more than once/);
    expect(twice.stdout).toMatch(/\| full data +\| fashion-mnist \/ cnn-small \| 2 +\|/);
    expect(readFileSync(join(dir, 'results', 'report.md'), 'utf8')).toContain('| random @ 0.5');
  });

  it('--until starts no run that would not finish in time, leaves it for the next invocation, and reads DP_BENCH_UNTIL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-bench-until-'));
    const results = join(dir, 'results.jsonl');
    const utc = { ...env, TZ: 'UTC' }; // deadlines are printed in local time
    const run = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...utc, ...extra } });
    const sweep = [
      'bench',
      '--results',
      results,
      '--runs-dir',
      join(dir, 'runs'),
      '--policies',
      'full',
      '--train-subset',
      '300',
      '--test-subset',
      '100',
      '--epochs',
      '1',
    ];
    const runs = () =>
      readFileSync(results, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { config: { seed: number } }).config.seed);
    // Nothing has finished yet: nothing to price the run by, so it starts while time is left.
    const inAnHour = new Date(Date.now() + 3600_000).toISOString().slice(0, 16) + 'Z';
    const first = run([...sweep, '--seeds', '0', '--until', inAnHour]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^dp bench: 1 run in the sweep, 0 already in .*, 1 to run · runs must end by \d{4}-\d\d-\d\d \d\d:\d\d \(--until\)$/m,
    );
    expect(runs()).toEqual([0]);
    // Seed 1 is now priced at seed 0's seconds per epoch: at 100,000 epochs it cannot end within the hour.
    const long = run([...sweep, '--seeds', '1', '--epochs', '100000', '--until', inAnHour]);
    expect(long.status, long.stderr).toBe(0);
    expect(long.stdout).toMatch(
      /^bench: \[1\/1\] fashion-mnist-cnn-small-full-s1-\w+ not started: it needs about \d+:\d\d:\d\d at the latest finished runs' speed, \d+:\d\d left before \d{4}-\d\d-\d\d \d\d:\d\d$/m,
    );
    expect(long.stdout).toMatch(/^bench: 1 run not started before .*; run the same command again to do it$/m);
    // Once the time is up nothing starts, priced or not.
    const late = run([...sweep, '--seeds', '0,1', '--until', '2000-01-01T00:00Z']);
    expect(late.status, late.stderr).toBe(0);
    expect(late.stdout).toMatch(
      /^bench: \[1\/1\] fashion-mnist-cnn-small-full-s1-\w+ not started: it needs about \d+:\d\d at the latest finished runs' speed, the time is up \(2000-01-01 00:00\)$/m,
    );
    expect(runs()).toEqual([0]);
    // The environment variable is the default (an ISO date-time: a time of day would move to tomorrow); a flag overrides it.
    const viaEnv = run([...sweep, '--seeds', '0,1'], { DP_BENCH_UNTIL: '2000-01-01T00:00Z' });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    expect(viaEnv.stdout).toMatch(/runs must end by 2000-01-01 00:00 \(DP_BENCH_UNTIL\)$/m);
    expect(viaEnv.stdout).toMatch(/not started: .* the time is up/m);
    expect(runs()).toEqual([0]);
    const flag = run([...sweep, '--seeds', '0,1', '--until', '2999-01-01T00:00Z'], {
      DP_BENCH_UNTIL: '2000-01-01T00:00Z',
    });
    expect(flag.status, flag.stderr).toBe(0);
    expect(flag.stdout).not.toMatch(/not started/);
    expect(runs()).toEqual([0, 1]);
    // A value that is not a time is refused up front, naming where it came from.
    const bad = run([...sweep, '--until', '5pm']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^dp: error: --until '5pm' is not a time; fix: HH:MM/m);
    const badEnv = run([...sweep, '--dry-run'], { DP_BENCH_UNTIL: '17:30' });
    expect(badEnv.status).toBe(2);
    expect(badEnv.stderr).toMatch(/^dp: error: DP_BENCH_UNTIL '17:30' is a time of day, .*; fix: an ISO date-time/m);
  });

  it('plans equal-steps once per ratio and seed (full data once per seed), as full data on the shorter run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-bench-equal-'));
    const r = dp(
      'bench',
      '--results',
      join(dir, 'r.jsonl'),
      '--policies',
      'full,equal-steps,random',
      '--ratios',
      '0.5,0.7',
      '--seeds',
      '0,1',
      '--epochs',
      '80',
      '--dry-run',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dp bench: 10 runs in the sweep, 0 already in .*, 10 to run$/m);
    expect(r.stdout).toContain(
      '  todo  fashion-mnist cnn-small full 0 seed 0\n  todo  fashion-mnist cnn-small equal-steps @ 0.5 (full data, 40 of 80 epochs) seed 0\n  todo  fashion-mnist cnn-small equal-steps @ 0.7 (full data, 24 of 80 epochs) seed 0\n',
    );
    // It takes no policy options, and a sweep of baselines alone refuses one.
    const options = dp(
      'bench',
      '--results',
      join(dir, 'r.jsonl'),
      '--policies',
      'full,equal-steps',
      '--policy-option',
      'c=2',
      '--dry-run',
    );
    expect(options.stderr).toMatch(
      /^dp: error: --policy-option c=2: no policy in this sweep takes 'c' \(none: the sweep has only full data and equal-steps, which take no options\)/m,
    );
  });

  it('compare gives each policy its own options (full data none) and checks the whole plan before training', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-compare-'));
    const tiny = ['--train-subset', '200', '--test-subset', '100', '--epochs', '1'];
    const ok = dp(
      'compare',
      '--policies',
      'epsilon-greedy,ucb',
      '--policy-option',
      'epsilon=0.2',
      ...tiny,
      '--out',
      join(dir, 'ok'),
    );
    expect(ok.status, ok.stderr).toBe(0);
    const options = (run: string) =>
      (JSON.parse(readFileSync(join(dir, 'ok', run, 'config.json'), 'utf8')) as { policyOptions: object })
        .policyOptions;
    expect([options('full-s0'), options('epsilon-greedy-r0.5-s0'), options('ucb-r0.5-s0')]).toEqual([
      {},
      { epsilon: 0.2 },
      {},
    ]);
    // A bad seed late in the plan, and a static run without a score file, fail before anything trains.
    for (const bad of [
      ['--seeds', '0,5000000000'],
      ['--policies', 'static'],
      ['--policies', 'random', '--policy-option', 'c=2'],
    ]) {
      const r = dp('compare', ...bad, ...tiny, '--out', join(dir, 'bad'));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/^dp: error: /m);
      expect(r.stdout).not.toMatch(/\[1\//);
      expect(existsSync(join(dir, 'bad'))).toBe(false);
    }
  });
});
