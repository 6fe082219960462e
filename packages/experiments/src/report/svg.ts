/**
 * Minimal, dependency-free SVG charts for the self-contained HTML report: line/scatter charts with error bars and
 * grouped bar charts. Every chart is one <svg> string with a title, axes, ticks and a legend.
 */
export interface Series {
  name: string;
  points: { x: number; y: number; err?: number; label?: string }[];
  /** Draw lines between points (default true). */
  line?: boolean;
  dashed?: boolean;
  /** Its look, when the caller keeps one per method across charts (default: the i-th series' seriesStyle). */
  style?: { color: string; hollow: boolean };
}

export interface ChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** The x values are counts (epochs): ticks only at whole numbers. */
  integerX?: boolean;
}

export { niceTicks };
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

/** Escape text for HTML / SVG content and attributes. */
export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!(hi > lo)) {
    const d = integer ? 1 : Math.abs(lo) * 0.05 || 1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const nice = (integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const step = integer ? Math.max(1, Math.round(nice)) : nice;
  // Ticks cover [lo, hi] entirely: from the step multiple at or below lo to the one at or above hi.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(10)));
  return ticks;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toPrecision(3) : String(Number(v.toPrecision(4)));
}

/** Series i's look: palette colour, and from the 11th series on hollow markers (colours repeat). */
export function seriesStyle(i: number): { color: string; hollow: boolean } {
  return { color: PALETTE[i % PALETTE.length]!, hollow: i >= PALETTE.length };
}

function frame(o: ChartOptions, xs: number[], ys: number[], legendNames: string[], xTickLabels?: string[]) {
  // The legend column is as wide as its longest label (~6.2 px per character at 11 px) and the chart as tall as
  // the legend, so long method labels are never clipped; the plot area keeps the requested size.
  const longest = Math.max(0, ...legendNames.map((n) => n.length));
  const m = { l: 64, r: Math.max(170, Math.ceil(46 + 6.2 * longest)), t: 36, b: 48 };
  const W = (o.width ?? 640) + (m.r - 170);
  const H = Math.max(o.height ?? 360, m.t + 8 + legendNames.length * 18 + 8);
  const xt = xTickLabels ? xTickLabels.map((_, i) => i) : niceTicks(Math.min(...xs), Math.max(...xs), 5, o.integerX);
  const yt = niceTicks(Math.min(...ys), Math.max(...ys));
  const [x0, x1] = xTickLabels ? [-0.5, xTickLabels.length - 0.5] : [xt[0]!, xt[xt.length - 1]!];
  const [y0, y1] = [yt[0]!, yt[yt.length - 1]!];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(
    `<text x="${W / 2 - m.r / 2 + m.l / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(o.title)}</text>`,
  );
  for (const t of yt) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  xt.forEach((t, i) => {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#333"/>`);
    parts.push(
      `<text x="${sx(t)}" y="${H - m.b + 17}" text-anchor="middle" font-size="11">${esc(xTickLabels ? xTickLabels[i]! : fmt(t))}</text>`,
    );
  });
  parts.push(
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`,
  );
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">${esc(o.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(o.yLabel)}</text>`,
  );
  const legend = (
    names: string[],
    dashed: boolean[] = [],
    styles: ({ color: string; hollow: boolean } | undefined)[] = [],
  ) =>
    names.forEach((n, i) => {
      const y = m.t + 8 + i * 18;
      const { color: c, hollow } = styles[i] ?? seriesStyle(i);
      parts.push(
        `<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="3"${dashed[i] ? ' stroke-dasharray="5 3"' : ''}/>`,
      );
      if (hollow)
        parts.push(`<circle cx="${W - m.r + 22}" cy="${y}" r="4" fill="#fff" stroke="${c}" stroke-width="2"/>`);
      parts.push(`<text x="${W - m.r + 38}" y="${y + 4}" font-size="11">${esc(n)}</text>`);
    });
  const close = () =>
    `<svg xmlns="http://www.w3.org/2000/svg" id="${esc(o.id)}" class="plot" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}" font-family="system-ui, sans-serif">${parts.join('')}</svg>`;
  return { parts, sx, sy, legend, close };
}

/** Line / scatter chart with optional vertical error bars. */
export function lineChart(o: ChartOptions, series: Series[]): string {
  const pts = series.flatMap((s) => s.points);
  if (!pts.length) return emptyChart(o);
  const xs = pts.map((p) => p.x);
  const ys = pts.flatMap((p) => [p.y - (p.err ?? 0), p.y + (p.err ?? 0)]);
  const f = frame(
    o,
    xs,
    ys,
    series.map((s) => s.name),
  );
  series.forEach((s, i) => {
    const { color: c, hollow } = s.style ?? seriesStyle(i);
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if ((s.line ?? true) && sorted.length > 1) {
      f.parts.push(
        `<polyline class="series" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${sorted.map((p) => `${f.sx(p.x)},${f.sy(p.y)}`).join(' ')}"/>`,
      );
    }
    for (const p of sorted) {
      if (p.err)
        f.parts.push(
          `<line x1="${f.sx(p.x)}" x2="${f.sx(p.x)}" y1="${f.sy(p.y - p.err)}" y2="${f.sy(p.y + p.err)}" stroke="${c}" stroke-width="1.5"/>`,
        );
      f.parts.push(
        `<circle class="point" cx="${f.sx(p.x)}" cy="${f.sy(p.y)}" r="4" fill="${hollow ? '#fff' : c}"${hollow ? ` stroke="${c}" stroke-width="2"` : ''}><title>${esc(`${s.name}${p.label ? ` (${p.label})` : ''}: ${fmt(p.y)}${p.err ? ` ± ${fmt(p.err)}` : ''} at ${fmt(p.x)}`)}</title></circle>`,
      );
    }
  });
  f.legend(
    series.map((s) => s.name),
    series.map((s) => Boolean(s.dashed)),
    series.map((s) => s.style),
  );
  return f.close();
}

/** Grouped bar chart: one group per category, one bar per series. */
export function barChart(
  o: ChartOptions,
  categories: string[],
  series: { name: string; values: number[]; style?: Series['style'] }[],
): string {
  if (!categories.length || !series.length) return emptyChart(o);
  const ys = [0, ...series.flatMap((s) => s.values)];
  const f = frame(
    o,
    [0],
    ys,
    series.map((s) => s.name),
    categories,
  );
  const groupWidth = f.sx(1) - f.sx(0);
  const bw = (groupWidth * 0.8) / series.length;
  series.forEach((s, i) => {
    const { color: c, hollow } = s.style ?? seriesStyle(i);
    s.values.forEach((v, k) => {
      const x = f.sx(k) - groupWidth * 0.4 + i * bw;
      const y = f.sy(Math.max(v, 0));
      f.parts.push(
        `<rect class="bar" x="${x}" y="${y}" width="${Math.max(bw - 1, 1)}" height="${Math.max(f.sy(0) - y, 0)}" fill="${hollow ? '#fff' : c}"${hollow ? ` stroke="${c}"` : ''}><title>${esc(`${s.name}, ${categories[k]}: ${fmt(v)}`)}</title></rect>`,
      );
    });
  });
  f.legend(
    series.map((s) => s.name),
    [],
    series.map((s) => s.style),
  );
  return f.close();
}

function emptyChart(o: ChartOptions): string {
  const W = o.width ?? 640;
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${esc(o.id)}" class="plot empty" viewBox="0 0 ${W} 80" width="${W}" height="80"><text x="${W / 2}" y="45" text-anchor="middle" font-size="13">${esc(o.title)}: no data</text></svg>`;
}
