// Shaping runs of step records into recharts rows (pure; unit-tested in Node). A chart draws one or more
// series per run; rows are keyed by step and hold one column per (run, series), so an SFT run and an RFT
// run overlay on the same axes.
import type { StepMetrics as MetricPoint } from '../../schema/metrics'; // the store's MetricPoint, named at its source (store.ts imports ChartRun from here)

/** One run the charts can draw. */
export interface ChartRun {
  /** Stable id (React keys). */
  id: string;
  /** Legend label, e.g. "RFT" or "SFT (same start)". */
  label: string;
  /** How it was trained: decides which charts it can appear on. */
  kind: 'rft' | 'sft';
  /** Its per-step metric records, in any order. */
  points: readonly MetricPoint[];
}

/** One line (or stacked area) of a chart. */
export interface Series {
  /** Legend name, e.g. "mean". */
  name: string;
  /** Reads the value from a step record; null where the step lacks it. */
  read: (p: MetricPoint) => number | null;
}

/** A recharts row: the step and one number-or-null column per (run, series). */
export type Row = { step: number } & Record<string, number | null>;

/** Column id for series `s` of run `r` (no dots: recharts would read a dotted key as a path). */
export function columnKey(r: number, s: number): string {
  return `r${r}s${s}`;
}

/**
 * One row per step present in any run, sorted by step; a column is null where that run has no value at
 * that step (lines connect over the gap). Duplicate steps in a run: the last record wins.
 */
export function toRows(runs: readonly ChartRun[], series: readonly Series[]): Row[] {
  const byStep = new Map<number, Row>();
  runs.forEach((run, r) => {
    for (const p of run.points) {
      let row = byStep.get(p.step);
      if (row === undefined) {
        row = { step: p.step };
        byStep.set(p.step, row);
      }
      series.forEach((s, i) => {
        row[columnKey(r, i)] = s.read(p);
      });
    }
  });
  const rows = [...byStep.values()].sort((a, b) => a.step - b.step);
  // Fill columns a row lacks with null, so every row has every column.
  const cols = runs.flatMap((_, r) => series.map((_, i) => columnKey(r, i)));
  for (const row of rows) for (const c of cols) if (!(c in row)) row[c] = null;
  return rows;
}

/** A zoom range of steps, both ends included; null = everything. */
export type StepRange = { from: number; to: number } | null;

/** The rows inside the range. */
export function inRange<T extends { step: number }>(rows: readonly T[], range: StepRange): T[] {
  return range === null ? [...rows] : rows.filter((r) => r.step >= range.from && r.step <= range.to);
}

/**
 * The Brush's start/end row indices for a range over sorted rows (the whole data when null or when no
 * row falls inside).
 */
export function brushIndices(rows: readonly { step: number }[], range: StepRange): { startIndex: number; endIndex: number } {
  const all = { startIndex: 0, endIndex: Math.max(rows.length - 1, 0) };
  if (range === null) return all;
  const start = rows.findIndex((r) => r.step >= range.from);
  let end = -1;
  for (let i = rows.length - 1; i >= 0; i--)
    if (rows[i].step <= range.to) {
      end = i;
      break;
    }
  return start === -1 || end === -1 || start > end ? all : { startIndex: start, endIndex: end };
}

/** The step range a Brush selection covers; null when it covers every row. */
export function rangeFromBrush(rows: readonly { step: number }[], startIndex: number, endIndex: number): StepRange {
  if (rows.length === 0 || (startIndex <= 0 && endIndex >= rows.length - 1)) return null;
  const lo = Math.max(0, Math.min(startIndex, endIndex)),
    hi = Math.min(rows.length - 1, Math.max(startIndex, endIndex));
  return { from: rows[lo].step, to: rows[hi].step };
}

/** The (run, series) pairs that have at least one number in `rows`: only these get a line and a legend entry. */
export function drawnColumns(rows: readonly Row[], runCount: number, seriesCount: number): { r: number; s: number }[] {
  const out: { r: number; s: number }[] = [];
  for (let r = 0; r < runCount; r++) {
    for (let s = 0; s < seriesCount; s++) {
      const key = columnKey(r, s);
      if (rows.some((row) => typeof row[key] === 'number')) out.push({ r, s });
    }
  }
  return out;
}

/** Rows a chart draws at most (about): recharts' work per drawing grows with the points it lays out. */
export const MAX_DRAWN_ROWS = 400;

/**
 * The rows to draw when there are more than `max`: every k-th row (k = ceil(n / max)), the last row, and
 * every row holding a value of a sparse column — one with values on at most n / k rows, such as the
 * validation reward, measured every few steps — so none of those points is lost. Fewer rows: the same
 * rows. Only the drawing is thinned: exports read the store, the metric charts thin the zoomed range alone
 * (full detail when zoomed in), the reward chart its whole run (its brush picks from the drawn rows).
 */
export function thinRows<T extends { step: number }>(rows: readonly T[], max = MAX_DRAWN_ROWS): T[] {
  const n = rows.length;
  if (n <= max) return [...rows];
  const k = Math.ceil(n / max);
  const filled = new Map<string, number>();
  for (const row of rows) {
    for (const [c, v] of Object.entries(row)) if (c !== 'step' && v !== null && v !== undefined) filled.set(c, (filled.get(c) ?? 0) + 1);
  }
  const sparse = new Set([...filled].filter(([, m]) => m <= n / k).map(([c]) => c));
  const holdsSparse = (row: T): boolean => Object.entries(row).some(([c, v]) => sparse.has(c) && v !== null && v !== undefined);
  return rows.filter((row, i) => i % k === 0 || i === n - 1 || holdsSparse(row));
}
