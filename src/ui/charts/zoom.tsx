// The zoomed step range shared by every chart of one page (the reward chart's brush sets it), the runs
// the page's store holds, as chart runs — redrawn at most once per CHART_UPDATE_MS (see pace.ts) — and
// the page's turns to draw (turns.ts).
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useUi, type MetricPoint } from '../store';
import { useThrottled } from './pace';
import { DrawTurns, TurnsContext } from './turns';
import type { ChartRun, StepRange } from './series';

interface Zoom {
  range: StepRange;
  setRange: (r: StepRange) => void;
  /** Counts returns to "all steps" (the reward chart remounts its brush on each, to span every step again). */
  resets: number;
}

const ZoomContext = createContext<Zoom | null>(null);
const RunsContext = createContext<ChartRun[] | null>(null);

/** How often the charts take the store's new steps during a run (the store gets them every 200 ms). */
export const CHART_UPDATE_MS = 1000;

/** The current run's first step shows without waiting for the next chart update (it is last: storeRuns). */
function firstPoints(shown: readonly ChartRun[], next: readonly ChartRun[]): boolean {
  return (shown.at(-1)?.points.length ?? 0) === 0 && (next.at(-1)?.points.length ?? 0) > 0;
}

/** Gives the charts below it one shared zoom range, one paced copy of the store's runs, and turns to draw (one chart per task). */
export function ChartZoom({ children }: { children: ReactNode }) {
  const [zoom, setZoom] = useState<{ range: StepRange; resets: number }>({ range: null, resets: 0 });
  const value = useMemo(
    () => ({
      ...zoom,
      setRange: (range: StepRange) => setZoom((z) => ({ range, resets: range === null && z.range !== null ? z.resets + 1 : z.resets })),
    }),
    [zoom],
  );
  const runs = useThrottled(useLiveStoreRuns() ?? NO_RUNS, CHART_UPDATE_MS, firstPoints);
  const [turns] = useState(() => new DrawTurns());
  return (
    <ZoomContext.Provider value={value}>
      <RunsContext.Provider value={runs}>
        <TurnsContext.Provider value={turns}>{children}</TurnsContext.Provider>
      </RunsContext.Provider>
    </ZoomContext.Provider>
  );
}

/** The shared zoom, or a fixed "everything" when no ChartZoom is above (a chart rendered on its own). */
export function useZoom(): Zoom {
  return useContext(ZoomContext) ?? NO_ZOOM;
}
const NO_RUNS: ChartRun[] = [];
const NO_ZOOM: Zoom = { range: null, setRange: () => undefined, resets: 0 };

/**
 * The store's runs as chart runs (paced by ChartZoom when one is above): the kept earlier run of the other kind (SFT or RFT; store lastRuns),
 * then the current run — SFT when it was started with algo 'sft' (before any run: when the config says so).
 */
export function useStoreRuns(): ChartRun[] {
  const paced = useContext(RunsContext);
  const live = useLiveStoreRuns(paced === null);
  return paced ?? live ?? [];
}

/**
 * The store's runs, or null when `subscribe` is false: then the selectors return constants, so the
 * caller does not re-render on every store update (the charts under a ChartZoom re-render only when the
 * paced runs change; each store update during a run re-rendered the reward chart and the cake view).
 */
function useLiveStoreRuns(subscribe = true): ChartRun[] | null {
  const metrics = useUi((s) => (subscribe ? s.metrics : null));
  const runKind = useUi((s) => (subscribe ? s.run.kind : null));
  const algo = useUi((s) => (subscribe ? s.run.config.algo : null));
  const lastRuns = useUi((s) => (subscribe ? s.lastRuns : null));
  return useMemo(
    () => (metrics === null || lastRuns === null ? null : storeRuns(metrics, runKind ?? (algo === 'sft' ? 'sft' : 'rft'), lastRuns)),
    [metrics, runKind, algo, lastRuns],
  );
}

/** The current run (`points` of `kind`) after the kept runs of the other kind. */
export function storeRuns(points: readonly MetricPoint[], kind: ChartRun['kind'], lastRuns: readonly ChartRun[]): ChartRun[] {
  const current: ChartRun = { id: 'current', label: kind === 'sft' ? 'SFT' : 'RFT', kind, points };
  return [...lastRuns.filter((r) => r.kind !== kind), current];
}
