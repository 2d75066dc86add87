// The settings table: every row consistent with itself, and what the other modules derive from it.
import { test, expect } from 'vitest';
import { DEFAULT_CONFIG, SETTINGS, SETTING_NAMES } from '../../src/schema/settings';
import { FROZEN_FIELDS, validSetting, describeSetting, ConfigError, updateConfig, resolveConfig } from '../../src/schema/rlConfig';
import { HYPERPARAM_MAP } from '../../src/export/hyperparams';

test('every default passes its own row\'s check; every row has a doc line and a TRL/OpenAI note', () => {
  for (const k of SETTING_NAMES) {
    const row = SETTINGS[k];
    expect(validSetting(row, row.default), `${k}: ${describeSetting(row)}`).toBe(true);
    expect(row.doc.length, k).toBeGreaterThan(10);
    expect(row.how.length, k).toBeGreaterThan(5);
  }
  expect(DEFAULT_CONFIG.learning_rate).toBe(2e-4);
  expect(describeSetting(SETTINGS.learning_rate)).toBe('a number > 0 and <= 1');
  expect(describeSetting(SETTINGS.top_k)).toBe('an integer >= 0 and <= 1000000');
  expect(validSetting(SETTINGS.top_k, 2.5)).toBe(false);
});

test('derived tables follow the rows: frozen fields, the exporters\' mapping, the panel\'s controls in order', () => {
  expect(FROZEN_FIELDS).toEqual({ algo: 'the algorithm defines the run', seed: 'the seed defines the run', invalid_reward: 'the grader is built with it when the run starts' });
  expect(Object.keys(HYPERPARAM_MAP)).toEqual(SETTING_NAMES);
  expect(HYPERPARAM_MAP.batch_prompts).toMatchObject({ trl: 'per_device_train_batch_size', openai: 'batch_size' });
  const shown = SETTING_NAMES.flatMap((k) => { const ui = SETTINGS[k].ui; return ui ? [[ui.order, k] as const] : []; }).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
  expect(shown).toEqual(['algo', 'num_generations', 'batch_prompts', 'learning_rate', 'beta', 'epsilon', 'epsilon_high', 'temperature', 'max_completion_length', 'max_steps', 'eval_interval', 'seed', 'invalid_reward']);
});

test('a frozen setting cannot change during a run; a live one can', () => {
  const cfg = resolveConfig({ seed: 3 });
  expect(() => updateConfig(cfg, { seed: 4 }, false)).toThrow(ConfigError);
  expect(() => updateConfig(cfg, { seed: 4 }, false)).toThrow("RL config field 'seed' = 4 is invalid: expected unchanged during a run (the seed defines the run); start a new run to change it.");
  expect(updateConfig(cfg, { temperature: 0.5 }, false).temperature).toBe(0.5);
});
