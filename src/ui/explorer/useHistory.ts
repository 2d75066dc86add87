// Accumulates the store's latest-step samples into a bounded history (see history.ts), cleared when the
// store's samples are cleared (a new run); older steps are fetched from the worker on request (it keeps
// the last 200) and pinned so they stay.
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { appendHistory, KEEP_STEPS } from './history';

/** Steps of samples the worker keeps (src/worker: the last 200). */
export const WORKER_KEEPS = 200;
import type { ExplorerSample } from './select';
import { EngineContext } from '../context';

export interface SampleHistory {
  samples: ExplorerSample[];
  /** Fetches a step's samples from the worker; null when no engine is there to ask. */
  load: ((step: number) => void) | null;
  /** Step being fetched, or null. */
  loading: number | null;
  /** Why the last fetch failed, or null. */
  error: string | null;
}

export function useSampleHistory(latest: readonly ExplorerSample[]): SampleHistory {
  const engine = useContext(EngineContext);
  const [history, setHistory] = useState<ExplorerSample[]>([]);
  const [loading, setLoading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pinned = useRef(new Set<number>());
  useEffect(() => {
    if (latest.length === 0) pinned.current.clear();
    setHistory((h) => (latest.length === 0 ? [] : appendHistory(h, latest, KEEP_STEPS, pinned.current)));
  }, [latest]);
  const load = useCallback(
    (step: number) => {
      if (engine === null) return;
      setLoading(step);
      setError(null);
      engine
        .samplesOf(step)
        .then(
          (rows) => {
            if (rows.length === 0) setError(`The worker no longer holds step ${step}'s samples (it keeps the last 200 steps).`);
            pinned.current.add(step);
            setHistory((h) => appendHistory(h, rows, KEEP_STEPS, pinned.current));
          },
          (e: unknown) => setError(`Could not fetch step ${step}: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => setLoading(null));
    },
    [engine],
  );
  // Until the effect runs, show at least the latest samples.
  return { samples: history.length === 0 ? [...latest] : history, load: engine === null ? null : load, loading, error };
}
