// Resolving and checking an RLConfig from the SETTINGS table (settings.ts): defaults, then the chosen
// algo's preset, then the caller's fields, each checked against its row; and the rule for changing a
// setting during a run (the protocol's `setHyperparameter`). Pure, tfjs-free: the page uses it to show
// the values a run will really use.
import { nearestName } from './names';
import {
  ALGO_PRESETS,
  DEFAULT_CONFIG,
  SETTING_NAMES,
  SETTINGS,
  isSettingName,
  type RLConfig,
  type Setting,
  type SettingName,
} from './settings';

/** One line per field, for the UI's tooltips and the README's table. */
export const CONFIG_DOCS = Object.fromEntries(SETTING_NAMES.map((k) => [k, SETTINGS[k].doc])) as Record<SettingName, string>; // one doc per key of the table

/** Fields that cannot change once a run has started, with the reason shown to the user. */
export const FROZEN_FIELDS: Partial<Record<SettingName, string>> = Object.fromEntries(
  SETTING_NAMES.flatMap((k) => {
    const why = SETTINGS[k].frozen;
    return why === undefined ? [] : [[k, why]];
  }),
);

/** A config field had a value outside its allowed range, or the field does not exist. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`RL config field '${field}' = ${JSON.stringify(value)} is invalid: expected ${allowed}.`);
    this.name = 'ConfigError';
  }
}

/** The allowed values of a row, as an error message says them. */
export function describeSetting(s: Setting): string {
  if (s.kind === 'bool') return 'true or false';
  if (s.kind === 'enum') return `one of ${s.values.map((v) => `'${v}'`).join(', ')}`;
  const lo = s.minOpen ? `> ${s.min}` : `>= ${s.min}`;
  return `${s.int ? 'an integer' : 'a number'} ${lo} and <= ${s.max}`;
}

/** Whether `v` is an allowed value of the row. */
export function validSetting(s: Setting, v: unknown): boolean {
  if (s.kind === 'bool') return typeof v === 'boolean';
  if (s.kind === 'enum') return typeof v === 'string' && s.values.includes(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (s.int && !Number.isInteger(v)) return false;
  return (s.minOpen ? v > s.min : v >= s.min) && v <= s.max;
}

/**
 * Defaults, then the preset of the chosen algo, then the caller's fields; every field validated.
 * Unknown fields are an error (with the nearest known name), so a typo never silently does nothing.
 * An unset epsilon_high follows epsilon unless the algo preset sets it (TRL: epsilon_high=None).
 */
export function resolveConfig(partial: Partial<RLConfig> | Record<string, unknown> = {}): RLConfig {
  for (const [k, v] of Object.entries(partial)) {
    if (!isSettingName(k)) {
      const near = nearestName(k, SETTING_NAMES);
      throw new ConfigError(k, v, `a known field${near ? ` (did you mean '${near}'?)` : ''}`);
    }
  }
  const given = new Map<SettingName, unknown>();
  for (const [k, v] of Object.entries(partial)) if (isSettingName(k) && v !== undefined) given.set(k, v);
  const algo = given.get('algo') ?? DEFAULT_CONFIG.algo;
  const algoRow = SETTINGS.algo;
  if (!validSetting(algoRow, algo)) throw new ConfigError('algo', algo, describeSetting(algoRow));
  const preset: Partial<RLConfig> = ALGO_PRESETS[algo as RLConfig['algo']]; // validated just above
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG, ...preset };
  if (!given.has('epsilon_high') && preset.epsilon_high === undefined) {
    out.epsilon_high = given.get('epsilon') ?? DEFAULT_CONFIG.epsilon;
  }
  for (const [k, v] of given) out[k] = v;
  for (const f of SETTING_NAMES) {
    const row: Setting = SETTINGS[f];
    if (!validSetting(row, out[f])) throw new ConfigError(f, out[f], describeSetting(row));
  }
  const c = out as unknown as RLConfig; // every field of RLConfig was checked above
  const grouped = c.algo !== 'sft' && c.algo !== 'reinforce';
  if (grouped && c.num_generations < 2) {
    throw new ConfigError(
      'num_generations',
      c.num_generations,
      `at least 2 for algo '${c.algo}': advantages compare samples of the same prompt, and a group of one has nothing to compare with`,
    );
  }
  return c;
}

/**
 * The config after `patch`, validated like a new config. Throws ConfigError for a frozen field, or
 * for beta > 0 when the run keeps no reference model (it started with beta = 0).
 */
export function updateConfig(current: RLConfig, patch: Partial<RLConfig> | Record<string, unknown>, hasReference: boolean): RLConfig {
  for (const [k, v] of Object.entries(patch)) {
    if (!isSettingName(k)) continue; // unknown keys are rejected by resolveConfig below
    const why = FROZEN_FIELDS[k];
    if (why && v !== current[k]) {
      throw new ConfigError(k, v, `unchanged during a run (${why}); start a new run to change it`);
    }
  }
  const next = resolveConfig({ ...current, ...patch });
  if (next.beta > 0 && !hasReference) {
    throw new ConfigError(
      'beta',
      next.beta,
      '0 in this run, which started with beta = 0 and so keeps no reference model; start a new run with beta > 0',
    );
  }
  return next;
}

/** The field table as Markdown (name, default, meaning), for the README and `cherry train --help`. */
export function configTableMarkdown(): string {
  const rows = SETTING_NAMES.map(
    (f) => `| \`${f}\` | \`${JSON.stringify(DEFAULT_CONFIG[f])}\` | ${CONFIG_DOCS[f].replace(/\|/g, '\\|')} |`,
  );
  return ['| field | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
