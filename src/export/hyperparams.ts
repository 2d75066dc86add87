// How each Cherry hyperparameter carries over to production: to TRL's GRPOConfig (the generated
// train_grpo.py) and to an OpenAI reinforcement fine-tuning job: the mapping columns of the settings
// table (src/schema/settings.ts), used by the exporters and rendered into docs/production.md, so the
// code and the docs cannot disagree.
import { SETTINGS, SETTING_NAMES, type RLConfig } from '../schema/settings';

/** Where one field goes. */
export interface HyperparamMapping {
  /** The GRPOConfig argument it sets, or null when TRL has none. */
  trl: string | null;
  /** The OpenAI `method.reinforcement.hyperparameters` field it sets, or null when the API has none. */
  openai: string | null;
  /** How it is converted, or why it has no counterpart. */
  note: string;
}

/** Every RLConfig field, in RLConfig order: the `trl`, `openai` and `how` of its row in SETTINGS. */
export const HYPERPARAM_MAP = Object.fromEntries(
  SETTING_NAMES.map((k) => {
    const { trl, openai, how } = SETTINGS[k];
    return [k, { trl, openai, note: how }];
  }),
) as Record<keyof RLConfig, HyperparamMapping>; // one entry per key of the table

/** The table as Markdown, for docs/production.md. */
export function hyperparamTableMarkdown(): string {
  const code = (s: string | null): string => (s === null ? '—' : `\`${s}\``);
  const rows = Object.entries(HYPERPARAM_MAP).map(
    ([k, m]) => `| \`${k}\` | ${code(m.trl)} | ${code(m.openai)} | ${m.note.replace(/\|/g, '\\|')} |`,
  );
  return ['| Cherry (RLConfig) | TRL GRPOConfig | OpenAI RFT hyperparameters | how |', '|---|---|---|---|', ...rows].join('\n');
}
