// Every worker or engine error, until dismissed.
import { useDispatch, useUi } from './store';

export function ErrorBanner() {
  const errors = useUi((s) => s.errors);
  const dispatch = useDispatch();
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error-item">
          <p>
            <strong>{e.name}</strong>: {e.message}
          </p>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={() => dispatch({ type: 'error/dismiss', id: e.id })}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
