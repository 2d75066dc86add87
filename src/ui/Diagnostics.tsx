// Banners explaining why a run is or is not learning (see diagnose.ts).
import { useMemo } from 'react';
import { Panel } from './Panel';
import { useUi } from './store';
import { diagnose } from './diagnose';

export function Diagnostics() {
  const metrics = useUi((s) => s.metrics);
  const found = useMemo(() => diagnose(metrics), [metrics]);
  return (
    <Panel title="Diagnostics" className="diagnostics-panel">
      <div data-testid="diagnostics">
        {metrics.length === 0 ? <p className="empty">Run a few steps: what a teacher would point at shows up here.</p>
          : found.length === 0 ? <p className="ok">Nothing to flag: groups disagree, so every step carries signal.</p>
          : (
            <ul className="diagnostic-list">
              {found.map((d) => (
                <li key={d.id} className={`diagnostic ${d.severity}`} data-diagnostic={d.id}>
                  <p>{d.message}</p>
                  <p className="hint">Try: {d.advice}</p>
                </li>
              ))}
            </ul>
          )}
      </div>
    </Panel>
  );
}
