// The models downloaded into this browser's Cache Storage (src/hub's CacheStorageStore, the store the
// worker downloads into: same origin, same caches): source, commit, size; Delete frees the space.
// Refreshed whenever `version` changes (after each load).
import { useEffect, useState } from 'react';
import { CacheStorageStore, deleteCachedModel, formatBytes, listCachedModels, type CachedModel } from '../../hub';

export function CacheManager({ version }: { version: string }) {
  const [models, setModels] = useState<CachedModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (typeof caches === 'undefined') {
      setError('Cache Storage is not available here (it needs a secure context: https or localhost).');
      return;
    }
    let live = true;
    listCachedModels(new CacheStorageStore()).then(
      (m) => {
        if (live) {
          setModels(m);
          setError(null);
        }
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [version, tick]);
  const remove = async (m: CachedModel): Promise<void> => {
    try {
      await deleteCachedModel(new CacheStorageStore(), m.repo, m.commit);
    } catch (e) {
      setError(`Could not delete ${m.source}: ${e instanceof Error ? e.message : String(e)}`);
    }
    setTick((t) => t + 1);
  };
  const total = (models ?? []).reduce((a, m) => a + m.totalBytes, 0);
  return (
    <details className="cache-manager" data-testid="model-cache">
      <summary>Downloaded models{models !== null ? ` (${models.length}, ${formatBytes(total)})` : ''}</summary>
      {error !== null ? (
        <p className="status status-error" role="alert">
          {error}
        </p>
      ) : null}
      {models !== null && models.length === 0 ? (
        <p className="hint">None yet: models loaded from the Hub or a URL are kept here for offline use.</p>
      ) : null}
      <ul>
        {(models ?? []).map((m) => (
          <li key={`${m.repo}@${m.commit}`} data-testid="cached-model">
            <code>{m.source}</code>{' '}
            <span className="hint">
              @{m.commit.slice(0, 8)} · {m.files.length} files · {formatBytes(m.totalBytes)}
            </span>{' '}
            <button
              type="button"
              aria-label={`Delete ${m.source}`}
              onClick={() => {
                void remove(m);
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
