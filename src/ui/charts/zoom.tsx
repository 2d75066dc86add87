// The zoomed step range shared by every chart of one page (the reward chart's brush sets it), and the
// runs the page's store holds, as chart runs.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useUi, type MetricPoint } from '../store';
import type { ChartRun, StepRange } from './series';

interface Zoom {
  range: StepRange;
  setRange: (r: StepRange) => void;
}

const ZoomContext = createContext<Zoom | null>(null);

/** Gives the charts below it one shared zoom range. */
export function ChartZoom({ children }: { children: ReactNode }) {
  const [range, setRange] = useState<StepRange>(null);
  const value = useMemo(() => ({ range, setRange }), [range]);
  return <ZoomContext.Provider value={value}>{children}</ZoomContext.Provider>;
}

/** The shared zoom, or a fixed "everything" when no ChartZoom is above (a chart rendered on its own). */
export function useZoom(): Zoom {
  return useContext(ZoomContext) ?? NO_ZOOM;
}
const NO_ZOOM: Zoom = { range: null, setRange: () => undefined };

/**
 * The store's runs as chart runs: the kept earlier run of the other kind (SFT or RFT; store lastRuns),
 * then the current run — SFT when it was started with algo 'sft' (before any run: when the config says so).
 */
export function useStoreRuns(): ChartRun[] {
  const metrics = useUi((s) => s.metrics);
  const runKind = useUi((s) => s.run.kind);
  const algo = useUi((s) => s.run.config.algo);
  const lastRuns = useUi((s) => s.lastRuns);
  return useMemo(() => storeRuns(metrics, runKind ?? (algo === 'sft' ? 'sft' : 'rft'), lastRuns), [metrics, runKind, algo, lastRuns]);
}

/** The current run (`points` of `kind`) after the kept runs of the other kind. */
export function storeRuns(points: readonly MetricPoint[], kind: ChartRun['kind'], lastRuns: readonly ChartRun[]): ChartRun[] {
  const current: ChartRun = { id: 'current', label: kind === 'sft' ? 'SFT' : 'RFT', kind, points };
  return [...lastRuns.filter((r) => r.kind !== kind), current];
}
