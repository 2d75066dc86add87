// The judge of model graders (`score_model`, `label_model`, `text_similarity` cosine): any
// OpenAI-compatible endpoint, its API key and an optional model override, or one of the built-in models,
// loaded in the worker as a frozen copy of its own (never the policy a run trains). Kept in this
// browser's localStorage and in the train worker's memory (EngineController sends it to each fresh
// worker), never in run records, exports or share links. While open, an endpoint's request log (status,
// time, error of each attempt, retries included) shows below, newest first.
import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../context';
import { useUi } from '../store';
import { remember, remembered } from '../localSettings';
import type { JudgeLogEntry, JudgeSettings } from '../../worker/protocol';
import { BUILTIN_MODELS } from '../task/taskOptions';

/** What this browser remembers: the endpoint's fields, and the built-in model that judges instead ('' = the endpoint). */
type Saved = JudgeSettings & { local: string };

const KEY = 'cherry.judge';
/** Entries the log shows (the worker keeps up to 1000). */
const SHOWN = 20;
const POLL_MS = 1000;

function stored(): Saved {
  try {
    const j: unknown = JSON.parse(remembered(KEY, '{}'));
    const o = typeof j === 'object' && j !== null ? (j as Record<string, unknown>) : {}; // fields checked one by one below
    const str = (k: string): string => (typeof o[k] === 'string' ? o[k] : '');
    return { baseURL: str('baseURL'), apiKey: str('apiKey'), model: str('model'), local: str('local') };
  } catch {
    return { baseURL: '', apiKey: '', model: '', local: '' };
  }
}

/** Sends a saved judge to the worker; resolves to what the panel says about it. */
async function apply(engine: ReturnType<typeof useEngine>, s: Saved): Promise<string> {
  if (s.local !== '') {
    const name = await engine.setLocalJudge({ kind: 'builtin', name: s.local });
    return `Model graders ask the built-in model ${name ?? s.local}, a frozen copy of its own (never the policy a run trains).`;
  }
  const { local: _, ...http } = s;
  await engine.setJudge(http);
  return `Model graders call ${s.baseURL}.`;
}

export function JudgeControls() {
  const engine = useEngine();
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const [form, setForm] = useState(stored);
  const [message, setMessage] = useState('');
  const [open, setOpen] = useState(false);
  const [log, setLog] = useState<JudgeLogEntry[]>([]);
  /** Log entries already fetched (the worker's log is a list that only grows, until the judge changes). */
  const seen = useRef(0);

  // the saved judge reaches the worker once the page opens (and every fresh worker after that)
  useEffect(() => {
    const s = stored();
    if (s.baseURL !== '' || s.local !== '') void apply(engine, s).catch(() => undefined); // saved settings were checked when saved
  }, [engine]);

  // a fresh worker (backend switched) starts a fresh log
  useEffect(() => {
    if (backendReady) return;
    seen.current = 0;
    setLog([]);
  }, [backendReady]);

  useEffect(() => {
    if (!open || !backendReady) return;
    let live = true,
      asking = false;
    const poll = (): void => {
      if (asking) return;
      asking = true;
      engine
        .judgeLog(seen.current)
        .then(
          (more) => {
            if (!live || more.length === 0) return;
            seen.current += more.length;
            setLog((p) => [...p, ...more]);
          },
          () => undefined, // a restarting worker: the next poll asks again
        )
        .finally(() => {
          asking = false;
        });
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [open, backendReady, engine]);

  async function save(next: Saved | null): Promise<void> {
    setMessage(next?.local ? `Loading ${next.local}…` : '');
    try {
      let said = 'No judge: model graders cannot score.';
      if (next === null) await engine.setJudge(null);
      else said = await apply(engine, next);
      remember(KEY, next === null ? null : JSON.stringify(next));
      if (next === null) setForm({ baseURL: '', apiKey: '', model: '', local: '' });
      seen.current = 0;
      setLog([]);
      setMessage(said);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  const field = (k: keyof JudgeSettings, label: string, type: string, placeholder: string) => (
    <label>
      {label}{' '}
      <input
        type={type}
        data-testid={`judge-${k}`}
        value={form[k]}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
      />
    </label>
  );

  return (
    <details className="judge" data-testid="judge" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Judge for model graders{form.local !== '' ? `: ${form.local}` : form.baseURL === '' ? '' : `: ${form.baseURL}`}</summary>
      <p className="hint">
        score_model and label_model graders (and text_similarity cosine) call an OpenAI-compatible endpoint, or ask a built-in model. The
        key stays in this browser; it is never saved with runs, exports or share links.
      </p>
      <div className="row">
        <label>
          Judge{' '}
          <select data-testid="judge-kind" value={form.local} onChange={(e) => setForm({ ...form, local: e.target.value })}>
            <option value="">an OpenAI-compatible endpoint</option>
            {BUILTIN_MODELS.map((m) => (
              <option key={m} value={m}>
                built-in model {m}
              </option>
            ))}
          </select>
        </label>
        {form.local === '' ? (
          <>
            {field('baseURL', 'Base URL', 'url', 'https://api.openai.com/v1')}
            {field('apiKey', 'API key', 'password', 'sk-… (empty for a local server)')}
            {field('model', 'Model', 'text', "the grader's own")}
          </>
        ) : null}
        <button
          type="button"
          data-testid="judge-save"
          disabled={!backendReady || (form.local === '' && form.baseURL.trim() === '')}
          onClick={() => void save(form)}
        >
          Use this judge
        </button>
        <button type="button" data-testid="judge-clear" disabled={!backendReady} onClick={() => void save(null)}>
          Clear
        </button>
      </div>
      {message === '' ? null : (
        <p className="hint" role="status" data-testid="judge-message">
          {message}
        </p>
      )}
      {log.length === 0 ? (
        <p className="hint">No judge requests yet.</p>
      ) : (
        <table className="judge-log" data-testid="judge-log">
          <thead>
            <tr>
              <th>time</th>
              <th>path</th>
              <th>status</th>
              <th className="num">ms</th>
              <th>error</th>
            </tr>
          </thead>
          <tbody>
            {log
              .slice(-SHOWN)
              .reverse()
              .map((r, i) => (
                <tr key={log.length - i}>
                  <td>{r.time.slice(11, 19)}</td>
                  <td>{r.path}</td>
                  <td>{r.status ?? '—'}</td>
                  <td className="num">{Math.round(r.ms)}</td>
                  <td>{r.error ?? ''}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
