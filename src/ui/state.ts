// State carried in the page URL: `?backend=` in the query (tests and shared links force a backend), and
// the shareable run setup in the hash through src/export/urlState's one field table: task,
// hyperparameters (seed included) and the grader source, compressed. A grader that arrives by link is
// put in the editor only: nothing runs it before the person presses Run or Try.
import { parseBackendRequest, type BackendRequest } from '../worker/backendPolicy';
import { decodeState, encodeState, type StateFieldError } from '../export/urlState';
import { resolveConfig } from '../schema/rlConfig';
import type { RLConfig } from '../schema/settings';
import type { GraderSource } from '../graders/types';
import type { Action, UiState } from './store';

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

/**
 * The editor's text as a link carries it: as written (JavaScript, TypeScript with its directive, or
 * grader JSON); the page decides what it is when Run or Try is pressed, as for typed text.
 */
export function editorSource(text: string): GraderSource {
  return { kind: 'js', code: text };
}

/** The hash (without '#') that reproduces the page's setup: task, every hyperparameter, seed, grader. */
export function shareHash(s: Pick<UiState, 'task' | 'run' | 'grader'>): string {
  return encodeState({ task: s.task, config: resolveConfig(s.run.config), grader: editorSource(s.grader.code) });
}

/** The text a grader source shows in the editor. */
function editorText(g: GraderSource): string {
  return g.kind === 'spec' ? `${JSON.stringify(g.spec, null, 2)}\n` : g.code;
}

/** What a link set on the page. */
export interface AppliedLink {
  /** True when the link carried a grader (now in the editor, not run). */
  grader: boolean;
  /** Fields of the link that were ignored, with the reason. */
  errors: StateFieldError[];
}

/**
 * Applies a URL hash to the page: selects the task, sets the hyperparameters that differ from the
 * algo's resolved defaults, puts the grader in the editor. Null when the hash carries no setup.
 */
export function applyShareHash(hash: string, dispatch: (a: Action) => void): AppliedLink | null {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '' || !new URLSearchParams(raw).has('task')) return null;
  const { state, errors } = decodeState(raw);
  dispatch({ type: 'task/select', task: state.task });
  const base = resolveConfig({ algo: state.config.algo });
  const overrides: Partial<Record<keyof RLConfig, unknown>> = {};
  for (const k of Object.keys(state.config) as (keyof RLConfig)[]) { // keys of a resolved RLConfig
    if (state.config[k] !== base[k]) overrides[k] = state.config[k];
  }
  dispatch({ type: 'run/config', config: { algo: state.config.algo, ...pick(state.config, overrides) } });
  if (state.grader) dispatch({ type: 'grader/edit', code: editorText(state.grader) });
  return { grader: state.grader !== null, errors };
}

/** The fields of `config` named in `keys`, typed as a partial config. */
function pick(config: RLConfig, keys: Partial<Record<keyof RLConfig, unknown>>): Partial<RLConfig> {
  const out: Partial<RLConfig> = {};
  for (const k of Object.keys(keys) as (keyof RLConfig)[]) Object.assign(out, { [k]: config[k] }); // keys of RLConfig
  return out;
}
