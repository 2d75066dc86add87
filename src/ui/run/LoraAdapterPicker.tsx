// Continue from a LoRA adapter: pick PEFT files (adapter_config.json + adapter_model.safetensors, or a
// zip of them, e.g. one downloaded from the runs list). The worker checks them against the loaded model;
// the next run trains that adapter (its own rank, alpha and targets) instead of a fresh one. Files that
// cannot be used are refused with the file and field named, and the adapter loaded before stays.
// Test hooks: data-testid lora-adapter-input, lora-adapter (the loaded one), lora-adapter-error, lora-adapter-clear.
import { useState } from 'react';
import { useUi } from '../store';
import { useEngine } from '../context';

export function LoraAdapterPicker() {
  const engine = useEngine();
  const adapter = useUi((s) => s.adapter);
  const ready = useUi((s) => s.model.status === 'ready');
  const inRun = useUi((s) => s.run.state === 'running' || s.run.state === 'paused');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(list: FileList | null): Promise<void> {
    if (list === null || list.length === 0) return;
    const picked = [...list];
    const source = picked.length === 1 ? picked[0].name : picked[0].webkitRelativePath.split('/')[0] || 'picked files';
    setBusy(true);
    try {
      const files = await Promise.all(picked.map(async (f) => ({ name: f.name, data: await f.arrayBuffer() })));
      await engine.loadAdapter(files, source);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="lora-adapter">
      <label className="hint" title="PEFT files: adapter_config.json and adapter_model.safetensors, or a zip holding them">
        Continue from a LoRA adapter:{' '}
        <input
          type="file"
          multiple
          accept=".json,.safetensors,.zip"
          data-testid="lora-adapter-input"
          disabled={!ready || inRun || busy}
          onChange={(e) => {
            void pick(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
      {adapter === null ? null : (
        <p className="hint" data-testid="lora-adapter" data-rank={adapter.rank}>
          The next run continues the adapter <code>{adapter.source}</code>: r {adapter.rank}, alpha {adapter.alpha},{' '}
          {adapter.targets.join(', ')}
          {adapter.rslora ? ', rsLoRA' : ''} ({adapter.trainableParams.toLocaleString('en-US')} parameters); it trains with these settings,
          whatever the LoRA rows say.{' '}
          <button
            type="button"
            data-testid="lora-adapter-clear"
            disabled={inRun}
            onClick={() => {
              void engine.clearAdapter();
            }}
          >
            Forget it
          </button>
        </p>
      )}
      {error === null ? null : (
        <p className="error-text" role="alert" data-testid="lora-adapter-error">
          {error}
        </p>
      )}
    </div>
  );
}
