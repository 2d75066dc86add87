// The page's state in its URL, read and written here only (as TensorFlow Playground's state.ts): `?backend=`
// in the query (tests and shared links force a backend), and the shareable setup in the hash through
// src/export/urlState's one field table (STATE_FIELDS): task, hyperparameters (seed included), the
// grader source, compressed, and which hyperparameter controls are hidden or locked (a lesson's link).
// A grader that arrives by link is put in the editor only: nothing runs it before the person presses
// Run or Try.
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

/** The hash (without '#') that reproduces the page's setup: task, every hyperparameter, seed, grader, control options. */
export function shareHash(s: Pick<UiState, 'task' | 'run' | 'grader' | 'controls'>): string {
  const controls = s.controls.hide.length + s.controls.lock.length > 0 ? { controls: s.controls } : {};
  return encodeState({ task: s.task, config: resolveConfig(s.run.config), grader: editorSource(s.grader.code), ...controls });
}

/** Puts the page's setup in the address bar (no navigation, no history entry); returns the full link. */
export function writeShareHash(s: Pick<UiState, 'task' | 'run' | 'grader' | 'controls'>): string {
  window.history.replaceState(null, '', `${location.pathname}${location.search}#${shareHash(s)}`);
  return location.href;
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
 * algo's resolved defaults, puts the grader in the editor, hides and locks the controls it names.
 * Null when the hash carries no setup.
 */
export function applyShareHash(hash: string, dispatch: (a: Action) => void): AppliedLink | null {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '' || !new URLSearchParams(raw).has('task')) return null;
  const { state, errors } = decodeState(raw);
  dispatch({ type: 'task/select', task: state.task });
  const base = resolveConfig({ algo: state.config.algo });
  const overrides: Partial<Record<keyof RLConfig, unknown>> = {};
  for (const k of Object.keys(state.config) as (keyof RLConfig)[]) {
    // keys of a resolved RLConfig
    if (state.config[k] !== base[k]) overrides[k] = state.config[k];
  }
  dispatch({ type: 'run/config', config: { algo: state.config.algo, ...pick(state.config, overrides) } });
  if (state.grader) dispatch({ type: 'grader/edit', code: editorText(state.grader) });
  if (state.controls) dispatch({ type: 'controls/set', controls: state.controls });
  return { grader: state.grader !== null, errors };
}

/** The fields of `config` named in `keys`, typed as a partial config. */
function pick(config: RLConfig, keys: Partial<Record<keyof RLConfig, unknown>>): Partial<RLConfig> {
  const out: Partial<RLConfig> = {};
  for (const k of Object.keys(keys) as (keyof RLConfig)[]) Object.assign(out, { [k]: config[k] }); // keys of RLConfig
  return out;
}

/** The lesson a link opens (`?lesson=cake` or `#lesson=cake`) and its optional step override. */
export interface LessonLink {
  /** Lesson name (src/lessons LESSONS). */
  name: string;
  /**
   * `lessonSteps=N`: every training phase of the lesson runs N steps instead of its own length. For the
   * browser tests only (short CI runs); a lesson's real length is what scripts/benchLessons.ts measures.
   */
  steps: number | null;
}

/** The lesson named by the query or the hash (the query wins); null when neither names one. */
export function lessonFromUrl(search: string, hash: string): LessonLink | null {
  for (const raw of [search.replace(/^\?/, ''), hash.replace(/^#/, '')]) {
    const p = new URLSearchParams(raw);
    const name = p.get('lesson');
    if (name === null || name === '') continue;
    const n = Number(p.get('lessonSteps'));
    return { name, steps: Number.isInteger(n) && n > 0 ? n : null };
  }
  return null;
}
