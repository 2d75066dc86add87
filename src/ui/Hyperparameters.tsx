// The hyperparameters a person tunes first, editable, with the engine's defaults and a one-line
// explanation each (src/rl/config.ts owns both). Values go with `start`; changing one mid-run
// (`setHyperparameter`) is the engine's to allow.
import { ALGOS, CONFIG_DOCS, DEFAULT_CONFIG, type Algo, type RLConfig } from '../rl/config';
import { useDispatch, useUi } from './store';

type NumericKey = 'num_generations' | 'batch_prompts' | 'learning_rate' | 'beta' | 'epsilon' | 'temperature' | 'max_completion_length' | 'max_steps' | 'seed';

/** Numeric fields shown, in order, with the input step of each. */
const NUMERIC: readonly [NumericKey, number][] = [
  ['num_generations', 1], ['batch_prompts', 1], ['learning_rate', 1e-5], ['beta', 0.01], ['epsilon', 0.01],
  ['temperature', 0.1], ['max_completion_length', 1], ['max_steps', 1], ['seed', 1],
];

function isAlgo(s: string): s is Algo {
  return ALGOS.some((a) => a === s);
}

export function Hyperparameters() {
  const config = useUi((s) => s.run.config);
  const dispatch = useDispatch();
  const set = (patch: Partial<RLConfig>) => dispatch({ type: 'run/config', config: patch });
  return (
    <details className="hyper">
      <summary>Hyperparameters</summary>
      <div className="facts">
        <label className="fact" title={CONFIG_DOCS.algo}>
          <code>algo</code>
          <select value={config.algo ?? DEFAULT_CONFIG.algo} onChange={(e) => { if (isAlgo(e.target.value)) set({ algo: e.target.value }); }}>
            {ALGOS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
          <span className="hint">{CONFIG_DOCS.algo}</span>
        </label>
        {NUMERIC.map(([k, step]) => (
          <label key={k} className="fact" title={CONFIG_DOCS[k]}>
            <code>{k}</code>
            <input type="number" step={step} value={config[k] ?? DEFAULT_CONFIG[k]}
              onChange={(e) => { const v = e.target.valueAsNumber; if (Number.isFinite(v)) set({ [k]: v }); }} />
            <span className="hint">{CONFIG_DOCS[k]}</span>
          </label>
        ))}
      </div>
    </details>
  );
}
