/**
 * Horizontal bar charts in SVG, built with DOM calls (no library, no inline
 * styles: colours and type come from ./stats.css through classes). Each bar
 * is a `g.bar` with data-key and data-count, and a text label that screen
 * readers get through the figure's table-like <title>/<desc>.
 */
import { h } from '../../lib/dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
/** Each row: the label on one line, the bar and its count under it (labels of any length fit). */
const ROW = 38;
const BAR_WIDTH = 340;
const WIDTH = BAR_WIDTH + 50;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface Bar {
  key: string;
  label: string;
  count: number;
}

export function barChart(name: string, title: string, bars: readonly Bar[], emptyText: string): HTMLElement {
  const figure = h('figure', { class: 'chart', attrs: { 'data-chart': name } }, h('figcaption', { text: title }));
  if (bars.length === 0) {
    figure.append(h('p', { class: 'muted', text: emptyText }));
    return figure;
  }
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = bars.length * ROW + 4;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': title, class: 'bars' });
  chart.append(svg('desc', {}, bars.map((b) => `${b.label}: ${b.count}`).join('; ')));
  bars.forEach((bar, i) => {
    const y = i * ROW;
    const width = Math.round((bar.count / max) * BAR_WIDTH);
    const g = svg('g', { class: 'bar', 'data-key': bar.key, 'data-count': bar.count });
    g.append(
      svg('text', { x: 0, y: y + 12, class: 'bar-label' }, bar.label),
      svg('rect', { x: 0, y: y + 17, width: Math.max(width, bar.count > 0 ? 2 : 0), height: 14, rx: 2, class: 'bar-rect' }),
      svg('text', { x: width + 6, y: y + 29, class: 'bar-count' }, String(bar.count)),
    );
    chart.append(g);
  });
  figure.append(chart);
  return figure;
}
