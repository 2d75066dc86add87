// Shareable state in the URL hash, as TensorFlow Playground's state.ts does it: ONE declarative table of
// fields, each with a kind that says how it is written and read (a setting's kind comes from its row in
// src/schema/settings.ts). The hash holds the task, which controls a lesson hides or locks, every RLConfig
// hyperparameter (algo and seed included) and the grader source, deflated and base64url-encoded.
// Every field is written (not only those that differ from the defaults; hide and lock when set), so a
// link means the same run even after Cherry's defaults change. Reading never throws: an unknown field or a bad value is reported
// and the default kept. A grader that arrives by link is only data here; the UI must not run it before
// the person presses Run or Try.
import {
  ALGO_PRESETS,
  ALGOS,
  DEFAULT_CONFIG,
  SETTINGS,
  SETTING_NAMES,
  isSettingName,
  type RLConfig,
  type SettingName,
} from '../schema/settings';
import { ConfigError, resolveConfig } from '../schema/rlConfig';
import type { GraderSource } from '../graders/types';
import { validateGraderSpec } from '../graders/builtin/registry';
import { TASKS } from '../tasks';
import { compressText, decompressText } from './base64url';

/** What a link carries. */
export interface ShareState {
  /** Built-in task name (or a dataset's name, when the decoder is told it is known). */
  task: string;
  /** Every hyperparameter, seed included. */
  config: RLConfig;
  /** The grader source, or null for the task's default grader. */
  grader: GraderSource | null;
  /** Settings whose controls the page hides or locks (a lesson's link); absent = all shown and editable. */
  controls?: ControlOptions;
}

/** Per-control options a link can set (TensorFlow Playground's hidden props, plus locking). */
export interface ControlOptions {
  /** Settings not shown on the Hyperparameters panel (their values still apply). */
  hide: SettingName[];
  /** Settings shown but not editable. */
  lock: SettingName[];
}

/** How a field is written in the hash. */
export type FieldKind = 'string' | 'number' | 'bool' | 'grader' | 'settings';

/** One row of the table: the hash key, its kind, and a line for the docs. */
export interface StateField {
  key: string;
  kind: FieldKind;
  doc: string;
}

/** How a setting is written: by the kind of its row in the settings table. */
function configKind(k: keyof RLConfig): FieldKind {
  const kind = SETTINGS[k].kind;
  return kind === 'num' ? 'number' : kind === 'bool' ? 'bool' : 'string';
}

/** THE table: every field a link can carry, in the order they are written. */
export const STATE_FIELDS: readonly StateField[] = [
  { key: 'task', kind: 'string', doc: 'Task name.' },
  ...SETTING_NAMES.map((k): StateField => ({ key: k, kind: configKind(k), doc: `RLConfig.${k}` })),
  { key: 'grader', kind: 'grader', doc: 'Grader source (JSON of a GraderSource), deflated, base64url.' },
  { key: 'hide', kind: 'settings', doc: 'Comma-separated settings whose controls are hidden.' },
  { key: 'lock', kind: 'settings', doc: 'Comma-separated settings whose controls are locked.' },
];

/** One field of a hash that was ignored, and why. */
export interface StateFieldError {
  /** Hash key (as written in the link). */
  field: string;
  /** The raw value from the link (cut to 80 characters). */
  value: string;
  /** What was wrong and what was kept instead. */
  message: string;
}

/** Options of decodeState. */
export interface DecodeOptions {
  /** Values for fields the link lacks or gets wrong (default: arithmetic, DEFAULT_CONFIG, no grader). */
  defaults?: ShareState;
  /** Task names accepted besides the built-in ones (e.g. datasets the user has loaded). */
  extraTasks?: readonly string[];
}

export const DEFAULT_STATE: ShareState = { task: 'arithmetic', config: DEFAULT_CONFIG, grader: null };

/** The state as a URL hash (without the leading '#'). */
export function encodeState(state: ShareState): string {
  const p = new URLSearchParams();
  for (const f of STATE_FIELDS) {
    if (f.key === 'task') p.set('task', state.task);
    else if (f.key === 'grader') {
      if (state.grader) p.set('grader', compressText(JSON.stringify(state.grader)));
    } else if (f.key === 'hide' || f.key === 'lock') {
      const names = state.controls?.[f.key] ?? [];
      if (names.length > 0) p.set(f.key, names.join(','));
    } else p.set(f.key, String(state.config[f.key as keyof RLConfig])); // every other row is a config key
  }
  return p.toString();
}

function parseScalar(kind: FieldKind, raw: string): number | boolean | string | undefined {
  if (kind === 'number') {
    const n = raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'bool') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  return raw;
}

/** Checks a decoded grader object's shape; returns it typed or a message. */
export function checkGraderSource(raw: unknown): GraderSource | string {
  if (typeof raw !== 'object' || raw === null || !('kind' in raw)) return 'not a grader object with a "kind"';
  if (raw.kind === 'spec') {
    if (!('spec' in raw)) return 'a "spec" grader without its "spec"';
    try {
      return { kind: 'spec', spec: validateGraderSpec(raw.spec) };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  if (raw.kind !== 'js' && raw.kind !== 'ts' && raw.kind !== 'python')
    return `unknown grader kind ${JSON.stringify(raw.kind)} (js, ts, python or spec)`;
  if (!('code' in raw) || typeof raw.code !== 'string') return 'grader "code" must be a string';
  const name = 'name' in raw ? raw.name : undefined;
  if (name !== undefined && typeof name !== 'string') return 'grader "name" must be a string';
  return name === undefined ? { kind: raw.kind, code: raw.code } : { kind: raw.kind, code: raw.code, name };
}

function decodeGrader(raw: string): GraderSource | string {
  let json: unknown;
  try {
    json = JSON.parse(decompressText(raw));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return checkGraderSource(json);
}

/**
 * Reads a URL hash (with or without '#'). Never throws: each unknown field, unparsable value or value
 * the config rejects is listed in `errors`, and that field keeps its default.
 */
export function decodeState(hash: string, opts: DecodeOptions = {}): { state: ShareState; errors: StateFieldError[] } {
  const defaults = opts.defaults ?? DEFAULT_STATE;
  const errors: StateFieldError[] = [];
  const report = (field: string, value: string, why: string, kept: unknown): void => {
    const v = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    errors.push({ field, value: v, message: `link field '${field}' = ${JSON.stringify(v)} ignored: ${why}; kept ${JSON.stringify(kept)}` });
  };
  const byKey = new Map(STATE_FIELDS.map((f) => [f.key, f]));
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  let task = defaults.task;
  let grader = defaults.grader;
  const given: Record<string, unknown> = {};
  const raws = new Map<string, string>();
  const tasks = new Set([...TASKS.map((t) => t.name), ...(opts.extraTasks ?? [])]);
  let controls: ControlOptions | undefined = defaults.controls;
  for (const [key, value] of params) {
    const f = byKey.get(key);
    if (!f) {
      report(key, value, 'unknown field', null);
      continue;
    }
    if (f.kind === 'grader') {
      const g = decodeGrader(value);
      if (typeof g === 'string')
        report(key, value, `grader cannot be read (${g})`, defaults.grader ? 'the default grader' : "the task's grader");
      else grader = g;
    } else if (f.kind === 'settings') {
      const names = value.split(',').filter((n) => n !== '');
      const unknown = names.filter((n) => !isSettingName(n));
      if (unknown.length > 0) report(key, value, `unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, 'the known ones');
      controls = { hide: controls?.hide ?? [], lock: controls?.lock ?? [], [key]: names.filter(isSettingName) };
    } else if (key === 'task') {
      if (tasks.has(value)) task = value;
      else report(key, value, `unknown task (known: ${[...tasks].join(', ')})`, defaults.task);
    } else {
      const v = parseScalar(f.kind, value);
      const k = key as keyof RLConfig; // every remaining row is a config key
      if (v === undefined) report(key, value, `not a ${f.kind === 'bool' ? 'true/false' : f.kind}`, defaults.config[k]);
      else {
        given[key] = v;
        raws.set(key, value);
      }
    }
  }
  // Resolve the config on top of the defaults; a field the config rejects is reported and dropped.
  // A link that changes `algo` but not the fields its preset sets gets the preset, as in resolveConfig.
  const base: Record<string, unknown> = { ...defaults.config };
  const algo = ALGOS.find((a) => a === given.algo);
  if (algo && algo !== defaults.config.algo) {
    for (const k of Object.keys(ALGO_PRESETS[algo])) delete base[k];
    delete base.epsilon_high;
  }
  for (;;) {
    try {
      const config = resolveConfig({ ...base, ...given });
      return { state: { task, config, grader, ...(controls ? { controls } : {}) }, errors };
    } catch (e) {
      if (!(e instanceof ConfigError) || !(e.field in given)) {
        // The defaults themselves are invalid: nothing from the link can fix that.
        report('config', '', e instanceof Error ? e.message : String(e), 'the built-in defaults');
        return { state: { task, config: DEFAULT_CONFIG, grader, ...(controls ? { controls } : {}) }, errors };
      }
      const k = e.field as keyof RLConfig; // ConfigError names a config field that is in `given`
      report(e.field, raws.get(e.field) ?? '', `expected ${e.allowed}`, defaults.config[k]);
      delete given[e.field];
    }
  }
}
