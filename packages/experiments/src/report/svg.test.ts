import { describe, expect, it } from 'vitest';
import { barChart, lineChart, niceTicks } from './svg.js';

describe('svg charts', () => {
  it('ticks always cover the data range', () => {
    for (const [lo, hi] of [
      [58, 73.5],
      [0, 66.2],
      [1.6, 6.5],
      [0.5, 0.7],
      [5, 5],
    ] as const) {
      const t = niceTicks(lo, hi);
      expect(t[0]!).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]!).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('puts ticks of a count axis (epochs) on whole numbers only, still covering the data', () => {
    for (const [lo, hi] of [
      [1, 3],
      [1, 2],
      [4, 4],
      [1, 80],
      [1, 7],
    ] as const) {
      const t = niceTicks(lo, hi, 5, true);
      for (const v of t) expect(Number.isInteger(v)).toBe(true);
      expect(t[0]!).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]!).toBeGreaterThanOrEqual(hi);
    }
    const svg = lineChart({ id: 'e', title: 't', xLabel: 'epoch', yLabel: 'y', integerX: true }, [
      { name: 'a', points: [1, 2, 3].map((x) => ({ x, y: 80 + x })) },
    ]);
    const labels = [
      ...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle" font-size="11">([^<]+)<\/text>/g),
    ].map((m) => m[1]);
    expect(labels).toEqual(['1', '2', '3']);
  });

  it('draws every point inside the plot area', () => {
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y' }, [
      {
        name: 'a',
        points: [
          { x: 1, y: 58 },
          { x: 2, y: 73.5, err: 1 },
        ],
      },
    ]);
    const ys = [...svg.matchAll(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => Number(m[2]));
    expect(ys).toHaveLength(2);
    for (const y of ys) expect(y).toBeGreaterThanOrEqual(36 - 1e-6);
  });

  it('escapes labels and reports empty charts', () => {
    expect(barChart({ id: 'b', title: 'a<b', xLabel: '', yLabel: '' }, [], [])).toContain('a&lt;b: no data');
  });

  it('sizes the legend to its longest label and its number of series, and tells series beyond the palette apart', () => {
    const long = 'static fashion-mnist-forgetting-resnet20-e3-r1 @ 0.7';
    const series = Array.from({ length: 14 }, (_, i) => ({ name: i === 3 ? long : `s${i}`, points: [{ x: i, y: i }] }));
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y' }, series);
    const width = Number(/viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)![1]);
    const height = Number(/viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)![2]);
    const textX = Number(new RegExp(`<text x="([\\d.]+)" y="[\\d.]+" font-size="11">${long}`).exec(svg)![1]);
    expect(textX + 6.2 * long.length).toBeLessThanOrEqual(width);
    expect(height).toBeGreaterThanOrEqual(36 + 14 * 18);
    // The 11th series repeats the first colour, so its markers are hollow.
    expect(svg.match(/fill="#fff" stroke="#1f77b4"/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
