// RLConfig: every knob of Cherry's RFT engine in one typed object. Each setting is defined once, as a
// row of src/schema/settings.ts (default, check, doc, TRL/OpenAI mapping, live or frozen, UI control);
// resolving and checking lives in src/schema/rlConfig.ts. This module re-exports both for the engine
// and adds what only the engine needs.
import type { Algo } from '../schema/settings';

export {
  ALGOS,
  LOSS_TYPES,
  SCALE_REWARDS,
  LR_SCHEDULER_TYPES,
  SETTINGS,
  SETTING_NAMES,
  DEFAULT_CONFIG,
  ALGO_PRESETS,
  type Algo,
  type LossType,
  type ScaleRewards,
  type LrSchedulerType,
  type RLConfig,
  type SettingName,
} from '../schema/settings';
export { CONFIG_DOCS, ConfigError, resolveConfig, configTableMarkdown } from '../schema/rlConfig';

/** Which advantage estimator an algorithm uses. */
export function advantageKind(algo: Algo): 'grpo' | 'rloo' | 'reinforce' | 'none' {
  if (algo === 'rloo' || algo === 'reinforce') return algo;
  if (algo === 'sft') return 'none';
  return 'grpo';
}
