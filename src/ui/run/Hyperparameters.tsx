// The hyperparameters a person tunes first, editable, showing the values a run will really use:
// resolveConfig of the overrides (so an algo's preset shows, e.g. dapo's epsilon_high) with the task's
// answer budget as the default max_completion_length. During a run a change is sent to the worker and
// applies from the next step; algo and seed define the run and are locked until it stops. Which settings
// show, in what order and with what input step, is their row's `ui` in src/schema/settings.ts; a link can
// hide or lock controls (UiState.controls, from src/ui/state.ts), e.g. for a lesson.
import { SETTINGS, SETTING_NAMES, type RLConfig, type SettingName } from '../../schema/settings';
import { FROZEN_FIELDS, resolveConfig } from '../../schema/rlConfig';
import { useUi } from '../store';
import { useEngine } from '../context';
import { taskOption } from '../task/taskOptions';

/** The settings with a control on this panel, in their table order (SETTINGS[k].ui.order). */
const SHOWN: readonly SettingName[] = SETTING_NAMES.flatMap((k) => {
  const ui = SETTINGS[k].ui;
  return ui === undefined ? [] : [{ k, order: ui.order }];
})
  .sort((a, b) => a.order - b.order)
  .map((c) => c.k);

/** The config a run would use, or the reason the overrides are not valid. */
function effective(
  overrides: Partial<RLConfig>,
  maxNewTokens: number | undefined,
): { config: RLConfig; error: null } | { config: null; error: string } {
  try {
    return {
      config: resolveConfig({ ...(maxNewTokens === undefined ? {} : { max_completion_length: maxNewTokens }), ...overrides }),
      error: null,
    };
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
  const controls = useUi((s) => s.controls);
  const locked = (k: keyof RLConfig): string | undefined => {
    if (controls.lock.includes(k)) return 'locked by the link that set up this page';
    return inRun && FROZEN_FIELDS[k] !== undefined ? `locked during a run: ${FROZEN_FIELDS[k]}` : undefined;
  };
  return (
    <details className="hyper">
      <summary>Hyperparameters</summary>
      {eff.error !== null ? (
        <p className="error-text" role="alert" data-testid="config-error">
          {eff.error}
        </p>
      ) : null}
      <div className="facts">
        {SHOWN.filter((k) => !controls.hide.includes(k)).map((k) => {
          const row = SETTINGS[k];
          return (
            <label key={k} className="fact" title={locked(k) ?? row.doc}>
              <code>{k}</code>
              {row.kind === 'enum' ? (
                <select
                  value={String(shown(k))}
                  disabled={locked(k) !== undefined}
                  onChange={(e) => {
                    const v = row.values.find((x) => x === e.target.value);
                    if (v !== undefined) void engine.setHyperparameter(k, v);
                  }}
                >
                  {row.values.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              ) : row.kind === 'bool' ? (
                <input
                  type="checkbox"
                  checked={shown(k) === true}
                  disabled={locked(k) !== undefined}
                  onChange={(e) => {
                    void engine.setHyperparameter(k, e.target.checked);
                  }}
                />
              ) : (
                <input
                  type="number"
                  step={row.ui?.step}
                  value={String(shown(k))}
                  disabled={locked(k) !== undefined}
                  onChange={(e) => {
                    const v = e.target.valueAsNumber;
                    if (Number.isFinite(v)) void engine.setHyperparameter(k, v);
                  }}
                />
              )}
              <span className="hint">{row.doc}</span>
            </label>
          );
        })}
      </div>
    </details>
  );
}
