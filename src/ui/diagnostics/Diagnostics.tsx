// Banners explaining why a run is or is not learning (see diagnose.ts), each with a button that opens
// the panel where the fix is.
import { useMemo } from 'react';
import { Panel } from '../Panel';
import { useUi, type MetricPoint } from '../store';
import { diagnose, type DiagnosticTarget } from './diagnose';

/** Scrolls to the page area of a panel and focuses its first control. */
function open(target: DiagnosticTarget): void {
  const area = document.querySelector<HTMLElement>(`.area-${target}`);
  if (area === null) return;
  area.scrollIntoView({ behavior: 'smooth', block: 'start' });
  area.querySelector<HTMLElement>('button, input, select, textarea, [contenteditable="true"]')?.focus({ preventScroll: true });
}

export function Diagnostics({ metrics }: { metrics?: readonly MetricPoint[] }) {
  const storeMetrics = useUi((s) => s.metrics);
  const points = metrics ?? storeMetrics;
  const found = useMemo(() => diagnose([...points]), [points]);
  return (
    <Panel title="Diagnostics" className="diagnostics-panel">
      <div data-testid="diagnostics">
        {points.length === 0 ? (
          <p className="empty">Run a few steps: what a teacher would point at shows up here.</p>
        ) : found.length === 0 ? (
          <p className="ok">Nothing to flag: groups disagree, so every step carries signal.</p>
        ) : (
          <ul className="diagnostic-list">
            {found.map((d) => (
              <li key={d.id} className={`diagnostic ${d.severity}`} data-diagnostic={d.id} role="status">
                <p>{d.message}</p>
                <p className="hint">Try: {d.advice}</p>
                <button type="button" className="link" onClick={() => open(d.action.target)}>
                  {d.action.label} →
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Panel>
  );
}
