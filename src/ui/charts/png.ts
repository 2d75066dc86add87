// A chart as a PNG: its <svg> serialised with the computed colours and fonts written inline (CSS
// variables and page stylesheets do not travel with an exported SVG), drawn on a canvas at 2× and saved.

/** Presentation properties copied from the computed style onto every element of the copy. */
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/** A standalone copy of `svg` (xmlns, size, background, inline styles) as SVG text. */
export function standaloneSvg(svg: SVGSVGElement, background: string | null = null): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width || Number(svg.getAttribute('width')) || 1));
  const height = Math.max(1, Math.round(box.height || Number(svg.getAttribute('height')) || 1));
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [copy, ...copy.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const out = dst[i] as SVGElement | undefined;
    if (out === undefined) return;
    const style = PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`)
      .filter((s) => !s.endsWith(':'))
      .join(';');
    out.setAttribute('style', style);
    // Attributes that name CSS variables (stroke="var(--muted)") do not resolve outside the page.
    for (const attr of ['fill', 'stroke', 'stop-color']) {
      const v = out.getAttribute(attr);
      if (v !== null && v.includes('var(')) out.setAttribute(attr, cs.getPropertyValue(attr === 'stop-color' ? 'stop-color' : attr));
    }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  if (background !== null) {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('width', '100%');
    rect.setAttribute('height', '100%');
    rect.setAttribute('fill', background);
    copy.insertBefore(rect, copy.firstChild);
  }
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

/** The background the chart is seen on: the first non-transparent background up the tree, else white. */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e !== null; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== '' && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') return bg;
  }
  return '#ffffff';
}

/** A legend entry (recharts draws the legend as HTML beside the svg, so it is redrawn on the canvas). */
export interface LegendEntry {
  label: string;
  color: string;
}

/** The legend entries of a recharts chart inside `container`: each item's text and its icon's colour. */
export function legendOf(container: Element): LegendEntry[] {
  return [...container.querySelectorAll('.recharts-legend-item')]
    .map((item) => {
      const icon = item.querySelector('path, line, rect');
      const text = item.querySelector('.recharts-legend-item-text');
      const cs = icon === null ? null : getComputedStyle(icon);
      const color = cs === null ? '#888' : cs.stroke !== 'none' && cs.stroke !== '' ? cs.stroke : cs.fill;
      return { label: (text ?? item).textContent ?? '', color };
    })
    .filter((e) => e.label !== '');
}

const LEGEND_ROW = 22;

/**
 * The chart as a PNG blob at `scale` times its on-screen size. The legend is drawn centred at `legendY`
 * (px from the svg's top; recharts keeps room for it inside the svg), or in a row added below.
 */
export async function svgToPng(
  svg: SVGSVGElement,
  scale = 2,
  legend: readonly LegendEntry[] = [],
  legendY: number | null = null,
): Promise<Blob> {
  const background = backgroundOf(svg);
  const { text, width, height: plotHeight } = standaloneSvg(svg, background);
  const inside = legendY !== null && legendY > 0 && legendY < plotHeight;
  const height = plotHeight + (legend.length > 0 && !inside ? LEGEND_ROW : 0);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas in this browser');
    ctx.scale(scale, scale);
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, plotHeight);
    if (legend.length > 0) {
      const font = getComputedStyle(svg).fontFamily || 'sans-serif';
      ctx.font = `12px ${font}`;
      ctx.textBaseline = 'middle';
      const widths = legend.map((e) => 14 + 6 + ctx.measureText(e.label).width + 16);
      let x = Math.max(4, (width - widths.reduce((a, b) => a + b, 0)) / 2);
      const y = inside ? legendY : plotHeight + LEGEND_ROW / 2;
      legend.forEach((e, i) => {
        ctx.strokeStyle = e.color;
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + 14, y);
        ctx.stroke();
        ctx.fillStyle = e.color;
        ctx.fillText(e.label, x + 20, y);
        x += widths[i];
      });
    }
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b === null ? reject(new Error('canvas gave no PNG')) : resolve(b)), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name from a chart title: "Reward" → "cherry-reward.png". */
export function pngName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `cherry-${slug || 'chart'}.png`;
}

/** Saves the main chart <svg> inside `container` as `pngName(title)`. */
export async function downloadChartPng(container: Element, title: string): Promise<void> {
  // The plot is the largest <svg> (legend icons are small svgs of their own, and may come first).
  let svg: SVGSVGElement | null = null,
    area = 0;
  for (const el of container.querySelectorAll('svg')) {
    const b = el.getBoundingClientRect();
    if (b.width * b.height > area) {
      svg = el;
      area = b.width * b.height;
    }
  }
  if (svg === null) throw new Error('no chart drawn yet');
  const wrapper = container.querySelector('.recharts-legend-wrapper');
  const legendY =
    wrapper === null
      ? null
      : (() => {
          const w = wrapper.getBoundingClientRect(),
            s = svg.getBoundingClientRect();
          return w.top + w.height / 2 - s.top;
        })();
  const blob = await svgToPng(svg, 2, legendOf(container), legendY);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = pngName(title);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
