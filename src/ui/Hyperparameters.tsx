// The hyperparameters a person tunes first, with the engine's defaults and a one-line explanation each
// (src/rl/config.ts owns both). Values are sent with `start`; changing one between steps is a later hook
// (`setHyperparameter`).
import { DEFAULT_CONFIG, CONFIG_DOCS, type RLConfig } from '../rl/config';
import { useUi } from './store';

/** Shown fields, in order. */
const SHOWN: readonly (keyof RLConfig)[] = [
  'algo', 'num_generations', 'batch_prompts', 'learning_rate', 'beta', 'epsilon', 'temperature', 'max_completion_length', 'max_steps', 'seed',
];

export function Hyperparameters() {
  const config = useUi((s) => s.run.config);
  return (
    <details className="hyper">
      <summary>Hyperparameters</summary>
      <dl className="facts">
        {SHOWN.map((k) => (
          <div key={k} className="fact" title={CONFIG_DOCS[k]}>
            <dt><code>{k}</code></dt>
            <dd>{String(config[k] ?? DEFAULT_CONFIG[k])}</dd>
            <dd className="hint">{CONFIG_DOCS[k]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
