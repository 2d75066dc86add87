// Colours of chart series (CSS variables, so light and dark themes both read) and dash patterns of runs.
export const SERIES_COLORS = ['var(--accent)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)'] as const;

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

/** Run 0 solid, later runs dashed, so overlaid runs stay apart even with the same colours. */
export function runDash(r: number): string | undefined {
  return r === 0 ? undefined : ['6 3', '2 3', '10 4 2 4'][(r - 1) % 3];
}

export const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' } as const;
