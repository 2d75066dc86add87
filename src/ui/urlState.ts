// State carried in the page URL. For now only `?backend=` (tests and shared links force a backend);
// the declarative hash table of issue 6 (task, grader, hyperparameters, seed) goes here too.
import { parseBackendRequest, type BackendRequest } from '../worker/backendPolicy';

/** The backend asked for in a query string such as "?backend=wasm"; `auto` when absent or unknown. */
export function backendFromSearch(search: string): BackendRequest {
  return parseBackendRequest(new URLSearchParams(search).get('backend')) ?? 'auto';
}

/** The same URL with `?backend=` set (removed for auto), keeping the other parameters and the hash. */
export function withBackend(href: string, backend: BackendRequest): string {
  const url = new URL(href);
  if (backend === 'auto') url.searchParams.delete('backend');
  else url.searchParams.set('backend', backend);
  return url.toString();
}
