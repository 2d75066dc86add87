// The hyperparameters a person tunes first, editable, showing the values a run will really use:
// resolveConfig of the overrides (so an algo's preset shows, e.g. dapo's epsilon_high) with the task's
// answer budget as the default max_completion_length. During a run a change is sent to the worker and
// applies from the next step; algo and seed define the run and are locked until it stops.
import { ALGOS, CONFIG_DOCS, resolveConfig, type Algo, type RLConfig } from '../rl/config';
import { FROZEN_FIELDS } from '../rl/liveConfig';
import { useUi } from './store';
import { useEngine } from './context';
import { taskOption } from './taskOptions';

type NumericKey = 'num_generations' | 'batch_prompts' | 'learning_rate' | 'beta' | 'epsilon' | 'epsilon_high' | 'temperature' | 'max_completion_length' | 'max_steps' | 'eval_interval' | 'seed';

/** Numeric fields shown, in order, with the input step of each. */
const NUMERIC: readonly [NumericKey, number][] = [
  ['num_generations', 1], ['batch_prompts', 1], ['learning_rate', 1e-5], ['beta', 0.01], ['epsilon', 0.01], ['epsilon_high', 0.01],
  ['temperature', 0.1], ['max_completion_length', 1], ['max_steps', 1], ['eval_interval', 1], ['seed', 1],
];

function isAlgo(s: string): s is Algo {
  return ALGOS.some((a) => a === s);
}

/** The config a run would use, or the reason the overrides are not valid. */
function effective(overrides: Partial<RLConfig>, maxNewTokens: number | undefined): { config: RLConfig; error: null } | { config: null; error: string } {
  try {
    return { config: resolveConfig({ ...(maxNewTokens === undefined ? {} : { max_completion_length: maxNewTokens }), ...overrides }), error: null };
  } catch (e) {
    return { config: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export function Hyperparameters() {
  const overrides = useUi((s) => s.run.config);
  const task = useUi((s) => s.task);
  const inRun = useUi((s) => s.run.state === 'running' || s.run.state === 'paused');
  const engine = useEngine();
  const eff = effective(overrides, taskOption(task)?.maxNewTokens);
  const shown = (k: keyof RLConfig): string | number | boolean => overrides[k] ?? eff.config?.[k] ?? '';
  const locked = (k: keyof RLConfig): string | undefined => (inRun && FROZEN_FIELDS[k] !== undefined ? `locked during a run: ${FROZEN_FIELDS[k]}` : undefined);
  return (
    <details className="hyper">
      <summary>Hyperparameters</summary>
      {eff.error !== null ? <p className="error-text" role="alert" data-testid="config-error">{eff.error}</p> : null}
      <div className="facts">
        <label className="fact" title={locked('algo') ?? CONFIG_DOCS.algo}>
          <code>algo</code>
          <select value={String(shown('algo'))} disabled={locked('algo') !== undefined}
            onChange={(e) => { if (isAlgo(e.target.value)) void engine.setHyperparameter('algo', e.target.value); }}>
            {ALGOS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
          <span className="hint">{CONFIG_DOCS.algo}</span>
        </label>
        {NUMERIC.map(([k, step]) => (
          <label key={k} className="fact" title={locked(k) ?? CONFIG_DOCS[k]}>
            <code>{k}</code>
            <input type="number" step={step} value={String(shown(k))} disabled={locked(k) !== undefined}
              onChange={(e) => { const v = e.target.valueAsNumber; if (Number.isFinite(v)) void engine.setHyperparameter(k, v); }} />
            <span className="hint">{CONFIG_DOCS[k]}</span>
          </label>
        ))}
      </div>
    </details>
  );
}
