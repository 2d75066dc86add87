// The settings table: every row consistent with itself, and what the other modules derive from it.
import { test, expect } from 'vitest';
import { DEFAULT_CONFIG, SETTINGS, SETTING_NAMES, loraTargetModules } from '../../src/schema/settings';
import { FROZEN_FIELDS, validSetting, describeSetting, ConfigError, updateConfig, resolveConfig } from '../../src/schema/rlConfig';
import { HYPERPARAM_MAP } from '../../src/export/hyperparams';

test("every default passes its own row's check; every row has a doc line and a TRL/OpenAI note", () => {
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

test("derived tables follow the rows: frozen fields, the exporters' mapping, the panel's controls in order", () => {
  const adapter = 'the adapter is built when the run starts';
  expect(FROZEN_FIELDS).toEqual({
    algo: 'the algorithm defines the run',
    seed: 'the seed defines the run',
    lora_rank: adapter,
    lora_alpha: adapter,
    lora_dropout: adapter,
    lora_target_modules: adapter,
    use_rslora: adapter,
    invalid_reward: 'the grader is built with it when the run starts',
  });
  expect(Object.keys(HYPERPARAM_MAP)).toEqual(SETTING_NAMES);
  expect(HYPERPARAM_MAP.batch_prompts).toMatchObject({ trl: 'per_device_train_batch_size', openai: 'batch_size' });
  const shown = SETTING_NAMES.flatMap((k) => {
    const ui = SETTINGS[k].ui;
    return ui ? [[ui.order, k] as const] : [];
  })
    .sort((a, b) => a[0] - b[0])
    .map(([, k]) => k);
  expect(shown).toEqual([
    'algo',
    'num_generations',
    'batch_prompts',
    'learning_rate',
    'beta',
    'epsilon',
    'epsilon_high',
    'temperature',
    'max_completion_length',
    'max_steps',
    'eval_interval',
    'seed',
    'lora_rank',
    'lora_alpha',
    'lora_dropout',
    'lora_target_modules',
    'use_rslora',
    'invalid_reward',
    'micro_batch_rows',
  ]);
});

test('a frozen setting cannot change during a run; a live one can', () => {
  const cfg = resolveConfig({ seed: 3 });
  expect(() => updateConfig(cfg, { seed: 4 }, false)).toThrow(ConfigError);
  expect(() => updateConfig(cfg, { seed: 4 }, false)).toThrow(
    "RL config field 'seed' = 4 is invalid: expected unchanged during a run (the seed defines the run); start a new run to change it.",
  );
  expect(updateConfig(cfg, { temperature: 0.5 }, false).temperature).toBe(0.5);
});

test("LoRA target choices name each architecture's PEFT modules", () => {
  expect(loraTargetModules('all-linear', 'Qwen2ForCausalLM')).toEqual([
    'q_proj',
    'k_proj',
    'v_proj',
    'o_proj',
    'gate_proj',
    'up_proj',
    'down_proj',
  ]);
  expect(loraTargetModules('attention', 'LlamaForCausalLM')).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
  expect(loraTargetModules('q_proj,v_proj', 'Qwen3ForCausalLM')).toEqual(['q_proj', 'v_proj']);
  expect(loraTargetModules('all-linear', 'GPT2LMHeadModel')).toEqual(['c_attn', 'c_proj', 'c_fc']);
  expect(loraTargetModules('q_proj,v_proj', 'GPT2LMHeadModel')).toEqual(['c_attn']);
  expect(DEFAULT_CONFIG.lora_rank).toBe(0); // LoRA is off unless a rank is set
});
