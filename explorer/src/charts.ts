// Small SVG charts: no chart library, a few dozen points each.

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface Series {
  label: string;
  points: [number, number][];
}

/** A line chart of one or more series over a shared x axis; `unit` labels the y axis. */
export function lineChart(title: string, series: Series[], unit: string, xLabel: (x: number) => string): string {
  const w = 520, h = 180, l = 48, r = 10, t = 24, b = 28;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<figure class="chart"><figcaption>${esc(title)}</figcaption><p class="muted">no data yet</p></figure>`;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs) || 1;
  const y1 = Math.max(...ys, 0) * 1.1 || 1;
  const X = (x: number) => l + ((x - x0) / (x1 - x0 || 1)) * (w - l - r);
  const Y = (y: number) => h - b - (y / y1) * (h - t - b);
  const colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
  const lines = series.map((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${colors[i % colors.length]}" stroke-width="1.8"><title>${esc(s.label)}</title></path>`;
  });
  const legend = series.map((s, i) => `<tspan fill="${colors[i % colors.length]}">■ ${esc(s.label)}</tspan>`).join(' ');
  const grid = [0, 0.5, 1].map((f) => {
    const y = Y(y1 * f);
    return `<line x1="${l}" x2="${w - r}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${l - 4}" y="${y + 4}" text-anchor="end">${fmt(y1 * f)}</text>`;
  });
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption>
<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">${grid.join('')}${lines.join('')}
<text x="${l}" y="${h - 8}">${esc(xLabel(x0))}</text><text x="${w - r}" y="${h - 8}" text-anchor="end">${esc(xLabel(x1))}</text>
<text x="${l}" y="14">${legend}</text><text x="${w - r}" y="14" text-anchor="end" class="muted">${esc(unit)}</text></svg></figure>`;
}

/** A bar chart of values by label. */
export function barChart(title: string, bars: [string, number][], unit: string): string {
  if (bars.length === 0) return `<figure class="chart"><figcaption>${esc(title)}</figcaption><p class="muted">no data yet</p></figure>`;
  const w = 520, rowH = 22, l = 140, h = bars.length * rowH + 10;
  const max = Math.max(...bars.map((b) => b[1]), 1);
  const rows = bars.map(([label, v], i) => {
    const bw = (v / max) * (w - l - 60);
    const y = 5 + i * rowH;
    return `<text x="${l - 6}" y="${y + 14}" text-anchor="end">${esc(label)}</text><rect x="${l}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 8}" fill="#2563eb"/><text x="${l + bw + 4}" y="${y + 14}">${fmt(v)} ${esc(unit)}</text>`;
  });
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">${rows.join('')}</svg></figure>`;
}

function fmt(v: number): string {
  if (v >= 1000) return Math.round(v).toLocaleString('en');
  if (v >= 10) return v.toFixed(0);
  return v.toFixed(v >= 1 ? 1 : 2);
}
