// Accumulates the store's latest-step samples into a bounded history (see history.ts); cleared when the
// store's samples are cleared (a new run).
import { useEffect, useState } from 'react';
import { appendHistory } from './history';
import type { ExplorerSample } from './select';

export function useSampleHistory(latest: readonly ExplorerSample[]): ExplorerSample[] {
  const [history, setHistory] = useState<ExplorerSample[]>([]);
  useEffect(() => {
    setHistory((h) => (latest.length === 0 ? [] : appendHistory(h, latest)));
  }, [latest]);
  // Until the effect runs, show at least the latest samples.
  return history.length === 0 ? [...latest] : history;
}
