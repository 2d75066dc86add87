// A chart legend as plain HTML under the plot, for the metric charts. recharts' own Legend measures its
// box in the DOM and then lays the chart out again around it: in Chromium that was about 40% of a small
// chart's first drawing (the cost that made the longest tasks with the metric charts in view during
// training). The items keep recharts' class names, so the PNG export (png.ts legendOf) and anything else
// reading a recharts legend read this one the same way.

/** One legend entry: a series' name, colour and dash pattern. */
export interface LegendItem {
  key: string;
  name: string;
  color: string;
  /** SVG stroke-dasharray of the run's lines; undefined for solid. */
  dash: string | undefined;
}

/** Height the legend takes under the plot, px (the plot gives it up, so every figure keeps one height). */
export const LEGEND_HEIGHT = 20;

export function SeriesLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="recharts-default-legend chart-legend" style={{ height: LEGEND_HEIGHT }}>
      {items.map((it) => (
        <li key={it.key} className="recharts-legend-item">
          <svg width="14" height="10" viewBox="0 0 14 10" aria-hidden="true">
            <line x1="0" y1="5" x2="14" y2="5" stroke={it.color} strokeWidth="2.5" strokeDasharray={it.dash} />
          </svg>
          <span className="recharts-legend-item-text" style={{ color: it.color }}>
            {it.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
