// The zoomed step range shared by every chart of one page (the reward chart's brush sets it), and the
// runs the page's store holds, as chart runs.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useUi } from '../store';
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

/** The store's run as a chart run: SFT when its config says algo 'sft', RFT otherwise. */
export function useStoreRuns(): ChartRun[] {
  const metrics = useUi((s) => s.metrics);
  const algo = useUi((s) => s.run.config.algo);
  return useMemo(() => [{ id: 'current', label: algo === 'sft' ? 'SFT' : 'RFT', kind: algo === 'sft' ? 'sft' : 'rft', points: metrics }], [metrics, algo]);
}
