// Model panel: which model, its loading progress in bytes, size, memory and backend once loaded.
// The built-in model of the selected task loads by itself once the backend is ready (and again when
// another built-in task needs another model); a Hub model or URL (HubModel), a local Hugging Face folder,
// dropped files or a checkpoint .zip Cherry downloaded replaces it until the page reloads. Chat tasks load
// nothing by themselves (their model is a Hub download the person starts). A load that fails shows why
// and the previous model stays loaded. An archive that fails its check on the page shows in the status.
import { useEffect, useRef, useState } from 'react';
import { Panel } from '../Panel';
import { useUi } from '../store';
import { useEngine } from '../context';
import { BUILTIN_MODELS, taskOption } from '../task/taskOptions';
import { CacheManager } from './CacheManager';
import { HubModel } from './HubModel';
import { LocalFolder } from './LocalFolder';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

export function ModelPanel() {
  const model = useUi((s) => s.model);
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const backend = useUi((s) => s.backend.choice?.backend ?? null);
  const runState = useUi((s) => s.run.state);
  const task = useUi((s) => s.task);
  const engine = useEngine();
  const opt = taskOption(task);
  const wanted = opt !== undefined && !opt.chat ? opt.model : BUILTIN_MODELS[0];
  const chatTask = opt?.chat === true;
  const [name, setName] = useState(wanted);
  const inRun = runState === 'running' || runState === 'paused';
  // A picked archive that failed on the page (before the worker saw it); cleared by the next load.
  const [pickError, setPickError] = useState<string | null>(null);

  // Auto-load the task's built-in model: on a fresh worker (no model), and when the task changes to one
  // served by another model; not while a run holds the model. A model the user loaded stays otherwise.
  const lastAuto = useRef<string | null>(null);
  const autoLoad =
    backendReady &&
    !inRun &&
    model.status !== 'loading' &&
    (model.status === 'none' || (!chatTask && lastAuto.current !== wanted && model.name !== wanted));
  useEffect(() => {
    if (!autoLoad) return;
    lastAuto.current = wanted;
    setName(wanted);
    void engine.loadModel({ kind: 'builtin', name: wanted });
  }, [autoLoad, wanted, engine]);

  const failed = (pickError !== null && model.status !== 'loading') || model.error !== null;
  const status =
    pickError !== null && model.status !== 'loading'
      ? `error: ${pickError}`
      : model.status === 'none'
        ? 'no model'
        : model.status === 'loading'
          ? `loading ${model.name ?? ''}… ${
              model.progressLabel !== '' && model.progressLabel !== 'done'
                ? model.progressLabel
                : `${mb(model.loadedBytes)} of ${model.totalBytes > 0 ? mb(model.totalBytes) : '?'}`
            }`
          : model.status === 'ready'
            ? model.error !== null
              ? `error: ${model.error} — still using ${model.name ?? 'the previous model'}`
              : 'ready'
            : `error: ${model.error ?? 'unknown'}`;
  const busy = !backendReady || model.status === 'loading' || runState === 'running';
  return (
    <Panel title="Model" hint="A small language model that already succeeds sometimes: RL sharpens what is there.">
      <div className="row">
        <select aria-label="Built-in model" value={name} onChange={(e) => setName(e.target.value)}>
          {BUILTIN_MODELS.map((m) => (
            <option key={m} value={m}>
              {m}
              {m === wanted ? ' (this task’s)' : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setPickError(null);
            void engine.loadModel({ kind: 'builtin', name });
          }}
        >
          Load
        </button>
      </div>
      <LocalFolder
        disabled={busy}
        onError={setPickError}
        onFiles={(files, folder) => {
          setPickError(null);
          void engine.loadModel({ kind: 'files', files }, folder);
        }}
      />
      <HubModel
        disabled={busy}
        loading={model.status === 'loading' && model.source === 'hub'}
        onLoad={(source, endpoint) => {
          setPickError(null);
          void engine.loadModel({ kind: 'hub', source, endpoint });
        }}
        onCancel={() => {
          void engine.cancelLoad();
        }}
      />
      <p className={`status status-${failed ? 'error' : model.status}`} data-testid="model-status" role={failed ? 'alert' : undefined}>
        {status}
      </p>
      {model.status === 'loading' && model.totalBytes > 0 ? (
        <progress max={model.totalBytes} value={model.loadedBytes} aria-label="Model download" />
      ) : null}
      {model.info !== null ? (
        <dl className="facts" data-testid="model-facts">
          <dt>Model</dt>
          <dd>
            {model.info.name}{' '}
            <span className="hint">
              ({model.info.architecture}, {model.info.layers} layers × {model.info.hiddenSize}, vocab {model.info.vocabSize})
            </span>
          </dd>
          <dt>Parameters</dt>
          <dd>{model.info.parameters.toLocaleString('en-US')}</dd>
          <dt title="parameters × 4 bytes × (weights + gradients + 2 Adam moments), plus the KV cache of one rollout of 8 prompts × 8 samples">
            Memory estimate
          </dt>
          <dd>
            {mb(model.info.memoryBytes)} <span className="hint">(KV cache {mb(model.info.kvCacheBytes)})</span>
          </dd>
          <dt>Chat template</dt>
          <dd>{model.info.chatTemplate === true ? 'yes: the chat tasks are in the Task panel' : 'none'}</dd>
          <dt>Backend</dt>
          <dd>{backend ?? '—'}</dd>
        </dl>
      ) : null}
      <CacheManager version={`${model.status}:${model.name ?? ''}`} />
    </Panel>
  );
}
