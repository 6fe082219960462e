import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dp.mjs');
const CHROMIUM = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CI: '1' };

describe('dp compare and its HTML report', () => {
  const out = mkdtempSync(join(tmpdir(), 'dp-compare-'));
  let stdout = '';

  it('dp compare trains full data and a pruning policy with the same seed and prints the table', () => {
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'compare',
        '--policies',
        'random',
        '--ratios',
        '0.5,0.7',
        '--train-subset',
        '800',
        '--test-subset',
        '200',
        '--epochs',
        '3',
        '--out',
        out,
      ],
      {
        encoding: 'utf8',
        env,
      },
    );
    stdout = r.stdout;
    expect(r.status, r.stderr).toBe(0);
    expect(stdout).toMatch(
      /\| method\s+\| dataset \/ model\s+\| seeds \| data trained \| test acc \(%\) \| training cost \| speed-up \| acc change \| flipped \(chance\) \|/,
    );
    expect(stdout).toMatch(/\| full data\s+\| fashion-mnist \/ cnn-small \| 1\s+\| 100\.00%/);
    expect(stdout).toMatch(/\| random @ 0\.5 .*\| 50\.00% .*×/);
    expect(stdout).toMatch(/\| random @ 0\.7 .*\| 30\.00% .*×/);
    for (const name of ['full-s0', 'random-r0.5-s0', 'random-r0.7-s0']) {
      expect(existsSync(join(out, name, 'result.json'))).toBe(true);
      expect(readdirSync(join(out, name, 'tensorboard')).some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
      const log = readFileSync(join(out, name, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { type: string; git?: unknown; environment?: { backend: string }; trainStep?: unknown },
        );
      expect(log.map((l) => l.type)).toEqual(['start', 'epoch', 'epoch', 'epoch', 'end']);
      expect(log[0]!.environment!.backend).toBe('tensorflow');
      // The training step that ran (the default: compiled on tfjs-node), in the start record and the result.
      expect(log[0]!.trainStep).toEqual({ kind: 'compiled' });
      const summary = JSON.parse(readFileSync(join(out, name, 'result.json'), 'utf8')) as { trainSteps?: string[] };
      expect(summary.trainSteps).toEqual(['compiled']);
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| random @ 0.7');
    // One seed: the paired table gives differences and says that it has no intervals.
    expect(md).toMatch(
      /## Paired differences over seeds[\s\S]*No comparison here pairs 2 or more seeds[\s\S]*\| random +\| 0\.7 +\| 1 +\| 30\.0% +\| [\d.]+ \(1 seed: no std\) +\| [-+][\d.]+ \(1 pair: no CI\) +\| not run +\| – +\|/,
    );
    // The method x ratio view: random's two ratios on one row, each with its measured speed-up.
    expect(md).toMatch(
      /## By prune ratio[\s\S]*\| random +\| +\| \d+\.\d\d · \d+\.\d\d× +\| \d+\.\d\d · \d+\.\d\d× +\|/,
    );
    // How often each sample was selected, against chance: 3 epochs leave only never / sometimes / always, and
    // uniform random at 0.7 lands near chance (0.7^3 = 34.3% never).
    const spread = md.slice(md.indexOf('## How often each sample was selected'));
    expect(spread).toMatch(
      /\| random @ 0\.7 +\| fashion-mnist \/ cnn-small \| (\d+\.\d)% \(34\.3%\) +\| 0\.0% \(0\.0%\) +\| [\d.]+% \([\d.]+%\) +\| 0\.0% \(0\.0%\) +\| [\d.]+% \(2\.7%\) +\|/,
    );
    const never = Number(/\| random @ 0\.7 +\| [^|]+\| (\d+\.\d)%/.exec(spread)![1]);
    expect(Math.abs(never - 34.3)).toBeLessThan(6);
  });

  it.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
    'the report renders in headless Chromium: no console errors, every plot drawn, a screenshot',
    async () => {
      const html = join(out, 'report.html');
      expect(existsSync(html)).toBe(true);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(html).href);
        const plots = await page.$$eval('svg.plot', (svgs) =>
          svgs.map((s) => {
            const box = s.getBoundingClientRect();
            return {
              id: s.id,
              width: box.width,
              height: box.height,
              marks: s.querySelectorAll('circle.point, rect.bar, polyline.series').length,
              empty: s.classList.contains('empty'),
            };
          }),
        );
        expect(plots.map((p) => p.id)).toEqual([
          'accuracy-vs-cost',
          'accuracy-vs-ratio',
          'accuracy-per-epoch',
          'selection-histogram',
          'selection-flips',
        ]);
        for (const p of plots) {
          expect(p.empty, p.id).toBe(false);
          expect(p.width, p.id).toBeGreaterThan(300);
          expect(p.height, p.id).toBeGreaterThan(200);
          expect(p.marks, p.id).toBeGreaterThan(0);
        }
        // The comparison (full, random @ 0.5, random @ 0.7), the paired table (the same three), the by-ratio view (full,
        // random), the selection spread.
        expect(await page.$$eval('table', (ts) => ts.map((t) => t.tBodies[0]!.rows.length))).toEqual([3, 3, 2, 2]);
        const shot = join(out, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(20_000);
        expect(errors).toEqual([]);
        // Self-contained: nothing but the page itself is loaded.
        expect(requests).toEqual([pathToFileURL(html).href]);
      } finally {
        await browser.close();
      }
    },
  );
});
