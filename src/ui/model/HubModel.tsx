// Loads a model from the Hugging Face Hub or a URL: a recommended model (its download size computed
// from its config) or any `hf:ORG/NAME[@REV]`, Hub page URL or base URL typed in; a "Hub endpoint"
// setting for `hf:` ids (a mirror, or a local server); Cancel while it downloads. The endpoint and the
// last source are remembered in localStorage. The worker downloads into Cache Storage (src/hub), so a
// second load of the same model needs no network.
import { useState } from 'react';
import { DEFAULT_ENDPOINT, formatBytes } from '../../hub';
import { RECOMMENDED, recommendedSize } from './recommended';
import { remember, remembered } from '../localSettings';

const ENDPOINT_KEY = 'cherry.hubEndpoint';
const LAST_KEY = 'cherry.hubModel';

const SIZES = RECOMMENDED.map((m) => ({ ...m, ...recommendedSize(m) }));

export interface HubModelProps {
  /** No load may start (backend not ready, a run running). */
  disabled: boolean;
  /** A Hub/URL load is in progress (Cancel shows). */
  loading: boolean;
  onLoad(source: string, endpoint: string): void;
  onCancel(): void;
}

export function HubModel({ disabled, loading, onLoad, onCancel }: HubModelProps) {
  const [source, setSource] = useState(() => remembered(LAST_KEY, ''));
  const [endpoint, setEndpoint] = useState(() => remembered(ENDPOINT_KEY, DEFAULT_ENDPOINT));
  const load = (): void => {
    const s = source.trim();
    if (s === '') return;
    remember(LAST_KEY, s);
    remember(ENDPOINT_KEY, endpoint.trim());
    onLoad(s, endpoint.trim() === '' ? DEFAULT_ENDPOINT : endpoint.trim());
  };
  return (
    <div className="hub-model">
      <div className="row">
        <select
          aria-label="Recommended Hub model"
          value=""
          onChange={(e) => {
            if (e.target.value !== '') setSource(e.target.value);
          }}
        >
          <option value="">Recommended Hub models…</option>
          {SIZES.map((m) => (
            <option key={m.source} value={m.source}>
              {m.source.slice(3)} — {(m.parameters / 1e6).toFixed(0)}M params, {formatBytes(m.downloadBytes)} ({m.note})
            </option>
          ))}
        </select>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <input
          type="text"
          aria-label="Hub model or URL"
          data-testid="hub-source"
          placeholder="hf:ORG/NAME[@REV] or https://…"
          size={40}
          value={source}
          onChange={(e) => setSource(e.target.value)}
        />
        <button type="submit" data-testid="hub-load" disabled={disabled || source.trim() === ''}>
          Load from Hub
        </button>
        {loading ? (
          <button type="button" data-testid="hub-cancel" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </form>
      <details>
        <summary>Hub endpoint</summary>
        <label className="row">
          <span title="Where hf: ids resolve, as {endpoint}/ORG/NAME/resolve/REV/file (huggingface_hub's HF_ENDPOINT)">Endpoint</span>
          <input
            type="url"
            aria-label="Hub endpoint"
            data-testid="hub-endpoint"
            size={32}
            value={endpoint}
            onChange={(e) => {
              setEndpoint(e.target.value);
              remember(ENDPOINT_KEY, e.target.value.trim());
            }}
          />
        </label>
      </details>
    </div>
  );
}
