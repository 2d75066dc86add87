// Colours of chart series (CSS variables, so light and dark themes both read), dash patterns of runs, and the
// axis tick placement every chart shares.
export const SERIES_COLORS = ['var(--accent)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)'] as const;

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

/** Run 0 solid, later runs dashed, so overlaid runs stay apart even with the same colours. */
export function runDash(r: number): string | undefined {
  return r === 0 ? undefined : ['6 3', '2 3', '10 4 2 4'][(r - 1) % 3];
}

export const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' } as const;

/**
 * Axis ticks of every chart, laid out without measuring text. recharts measures a tick label in the DOM
 * (a hidden span, then getBoundingClientRect) to drop colliding ticks (interval 'preserveEnd') and, when
 * the label has a width, to wrap it; every measurement of a new label forces a layout of the whole page,
 * and with the page's tables and editor that was the largest single cost of drawing a chart in a
 * Chromium profile during training. interval 0 shows each tick the scale makes (about 5 per axis: they
 * do not collide at these sizes); a label width of 0 turns wrapping off (a number is one word).
 */
export const AXIS_TICKS = { interval: 0, tick: { width: 0 } } as const;
