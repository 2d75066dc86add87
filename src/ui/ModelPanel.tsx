// Model panel: which model, its loading progress in bytes, size and memory once loaded.
// Model-loader hook: EngineController.loadModel sends `loadModel`; the worker's handler (engine issue)
// streams `progress` events and replies ModelInfo, which this panel already shows.
import { useState } from 'react';
import { Panel } from './Panel';
import { useUi } from './store';
import { useEngine } from './context';

/** Built-in models offered before the registry of built-in models lands (public/models/<name>). */
const BUILTIN_MODELS: readonly string[] = ['cherry-tiny'];

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

export function ModelPanel() {
  const model = useUi((s) => s.model);
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const engine = useEngine();
  const [name, setName] = useState(BUILTIN_MODELS[0]);
  const status = model.status === 'none' ? 'no model'
    : model.status === 'loading' ? `loading… ${mb(model.loadedBytes)} of ${mb(model.totalBytes)}`
    : model.status === 'ready' ? 'ready'
    : `error: ${model.error ?? 'unknown'}`;
  return (
    <Panel title="Model" hint="A small language model that already succeeds sometimes: RL sharpens what is there.">
      <div className="row">
        <select aria-label="Built-in model" value={name} onChange={(e) => setName(e.target.value)}>
          {BUILTIN_MODELS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <button type="button" disabled={!backendReady || model.status === 'loading'}
          onClick={() => void engine.loadModel({ kind: 'builtin', name })}>Load</button>
      </div>
      <p className={`status status-${model.status}`} data-testid="model-status">{status}</p>
      {model.status === 'loading' && model.totalBytes > 0
        ? <progress max={model.totalBytes} value={model.loadedBytes} aria-label="Model download" /> : null}
      {model.info !== null ? (
        <dl className="facts">
          <dt>Model</dt><dd>{model.info.name}</dd>
          <dt>Parameters</dt><dd>{model.info.parameters.toLocaleString('en-US')}</dd>
          <dt>Memory (weights + Adam)</dt><dd>{mb(model.info.memoryBytes)}</dd>
        </dl>
      ) : null}
    </Panel>
  );
}
