// The backend in use (only ever the one the worker really set), why, and a switcher that restarts
// the worker on another backend.
import { useEffect, useRef, useState } from 'react';
import { useUi } from '../store';
import { useEngine } from '../context';
import { withBackend } from '../state';
import { parseBackendRequest, type BackendRequest } from '../../worker/backendPolicy';

const OPTIONS: readonly BackendRequest[] = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'];

export function BackendBadge() {
  const backend = useUi((s) => s.backend);
  const engine = useEngine();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    // Close the details on Escape or on a click anywhere else.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onDown = (e: MouseEvent) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open]);
  const choice = backend.choice;
  const threads = choice?.details.wasm?.threads;
  const label =
    backend.status === 'starting'
      ? 'starting…'
      : choice === null
        ? 'no backend'
        : threads === undefined
          ? choice.backend
          : `${choice.backend} · ${threads} thread${threads === 1 ? '' : 's'}`;
  const software = choice?.details.adapter?.software === true;

  function switchTo(value: string) {
    const req = parseBackendRequest(value);
    if (req === null) return;
    history.replaceState(null, '', withBackend(location.href, req));
    void engine.initBackend(req);
  }

  return (
    <div className="backend" ref={root}>
      <button
        type="button"
        className={`badge badge-${backend.status}`}
        data-testid="backend-badge"
        title={choice?.reason ?? 'choosing a backend…'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {label}
      </button>
      <label className="backend-switch">
        <span className="sr-only">Backend</span>
        <select data-testid="backend-select" value={backend.requested} onChange={(e) => switchTo(e.target.value)}>
          {OPTIONS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {open && choice !== null ? (
        <div className="backend-details" data-testid="backend-details" role="dialog" aria-label="Why this backend">
          <p>
            <strong>{choice.backend}</strong> (
            {choice.details.requested === 'auto' ? 'chosen automatically' : `requested ${choice.details.requested}`})
          </p>
          <ul>
            {choice.details.attempts.map((a) => (
              <li key={a.backend} className={a.ok ? 'ok' : 'skipped'}>
                <code>{a.backend}</code> {a.ok ? 'in use' : 'skipped'}
                {a.note === '' ? '' : `: ${a.note}`}
              </li>
            ))}
          </ul>
          <p className="hint">Cross-origin isolated (needed for wasm threads): {String(choice.details.crossOriginIsolated)}</p>
          {choice.details.wasm !== null ? (
            <p className="hint">
              wasm: {choice.details.wasm.threads} thread(s), SIMD {choice.details.wasm.simd ? 'yes' : 'no'}, multi-threaded binary{' '}
              {choice.details.wasm.multithread ? 'yes' : 'no'}
            </p>
          ) : null}
          {software ? (
            <p className="hint">WebGPU here is a software adapter: on this machine wasm is faster. A real GPU would win by far.</p>
          ) : null}
          {choice.details.adapter === null && choice.details.attempts.some((a) => a.backend === 'webgpu') ? (
            <p className="hint">No usable WebGPU adapter here: training runs on the CPU.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
