// The page's store keeps only the latest step's samples; the explorer remembers earlier ones itself so a
// prompt can be compared before/after (pure; unit-tested).
import type { ExplorerSample } from './select';

/** Steps of samples kept: the first step seen (the "before") and the latest KEEP_STEPS - 1. */
export const KEEP_STEPS = 20;

/**
 * History with `incoming` added: its steps replace the same steps already held, then the oldest steps
 * are dropped (keeping the first one and the `pinned` ones, those the user asked for) until at most
 * `keep` unpinned steps remain. Samples stay in step order.
 */
export function appendHistory(
  history: readonly ExplorerSample[],
  incoming: readonly ExplorerSample[],
  keep = KEEP_STEPS,
  pinned: ReadonlySet<number> = new Set(),
): ExplorerSample[] {
  if (incoming.length === 0) return [...history];
  const newSteps = new Set(incoming.map((s) => s.step));
  const merged = [...history.filter((s) => !newSteps.has(s.step)), ...incoming].sort((a, b) => a.step - b.step);
  const steps = [...new Set(merged.map((s) => s.step))].filter((st) => !pinned.has(st));
  if (steps.length <= keep) return merged;
  const kept = new Set([...pinned, steps[0], ...steps.slice(steps.length - (keep - 1))]);
  return merged.filter((s) => kept.has(s.step));
}
