// One saved run in the runs list: its name (rename in place), status, steps and seed; resume from its
// newest checkpoint, compare, delete, and its downloads. Test hooks: the <li> has data-run-id;
// `run-resume`, `run-delete`, `run-compare`, `run-name`, `run-download-<kind>`.
import { useState } from 'react';
import type { RunRecord } from '../../storage';
import { DOWNLOADS, type DownloadKind } from './downloads';

export interface RunRowProps {
  run: RunRecord;
  /** Step of its newest checkpoint, or null when it has none (then it cannot be resumed). */
  checkpointStep: number | null;
  /** False while another run is live or no model is ready: Resume is disabled, with `resumeWhy` as the tooltip. */
  canResume: boolean;
  resumeWhy: string;
  compared: boolean;
  onResume(): void;
  onRename(name: string): void;
  onDelete(): void;
  onCompare(on: boolean): void;
  onDownload(kind: DownloadKind): void;
}

export function RunRow(p: RunRowProps) {
  const [name, setName] = useState(p.run.name);
  const [showFiles, setShowFiles] = useState(false);
  const commit = (): void => {
    const n = name.trim();
    if (n !== '' && n !== p.run.name) p.onRename(n);
    else setName(p.run.name);
  };
  const noCheckpoint = p.checkpointStep === null;
  const data = p.run.data.kind === 'task' ? p.run.data.task : `dataset ${p.run.data.name}`;
  return (
    <li data-run-id={p.run.id} data-name={p.run.name} data-status={p.run.status} data-steps={p.run.lastStep} className="run-row">
      <div className="row">
        <input
          data-testid="run-name"
          aria-label="Run name"
          value={name}
          size={22}
          onChange={(e) => setName(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
            if (e.key === 'Escape') setName(p.run.name);
          }}
        />
        <span className="hint" data-testid="run-facts">
          {p.run.status} · {p.run.lastStep} steps · {data} · {p.run.config.algo} · seed {p.run.seed}
          {noCheckpoint ? ' · no checkpoint' : ` · checkpoint at step ${p.checkpointStep}`}
        </span>
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="run-resume"
          disabled={!p.canResume || noCheckpoint}
          title={noCheckpoint ? 'No checkpoint saved yet (every checkpoint_interval steps and on pause)' : p.resumeWhy}
          onClick={p.onResume}
        >
          Resume
        </button>
        <label className="hint">
          <input type="checkbox" data-testid="run-compare" checked={p.compared} onChange={(e) => p.onCompare(e.target.checked)} /> compare
        </label>
        <button type="button" data-testid="run-delete" onClick={p.onDelete}>
          Delete
        </button>
        <button type="button" data-testid="run-files" aria-expanded={showFiles} onClick={() => setShowFiles(!showFiles)}>
          Download…
        </button>
      </div>
      {showFiles ? (
        <div className="row">
          {DOWNLOADS.map((d) => (
            <button key={d.kind} type="button" data-testid={`run-download-${d.kind}`} onClick={() => p.onDownload(d.kind)}>
              {d.label}
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}
