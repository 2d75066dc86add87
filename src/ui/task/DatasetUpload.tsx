// Upload a JSONL dataset (OpenAI RFT `{"messages": [...]}` rows or `{"prompt": ...}` rows): what was
// accepted, each rejected line with its number and what to fix, a preview, and the train/validation
// split. Parsing is src/data's (plain data, no user code runs).
import { DatasetError, loadJsonlDataset } from '../../data';
import { useDispatch, useUi } from '../store';

/** Rejected lines listed before "and N more". */
const SHOWN_ERRORS = 5;
/** Items previewed. */
const PREVIEW = 3;

export function DatasetUpload() {
  const dataset = useUi((s) => s.dataset);
  const dispatch = useDispatch();

  async function load(file: File) {
    try {
      const data = await loadJsonlDataset(await file.text(), { source: file.name });
      dispatch({ type: 'dataset/set', dataset: { file: file.name, data } });
    } catch (e) {
      const message = e instanceof DatasetError || e instanceof Error ? e.message : String(e);
      dispatch({ type: 'dataset/set', dataset: { file: file.name, error: message } });
    }
  }

  return (
    <div className="dataset">
      <label className="upload">
        <span>Or upload a JSONL dataset</span>
        <input
          type="file"
          accept=".jsonl,.json,application/jsonl,text/plain"
          data-testid="dataset-upload"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void load(f);
          }}
        />
      </label>
      {dataset === null ? null : 'error' in dataset ? (
        <p className="error-text" data-testid="dataset-summary" role="alert">
          {dataset.error}
        </p>
      ) : (
        <div data-testid="dataset-summary">
          <p>{dataset.data.summary.text}</p>
          <p className="hint">
            Split: {dataset.data.train.length} train, {dataset.data.validation.length} validation (by content hash, stable across uploads).
          </p>
          {dataset.data.errors.length > 0 ? (
            <ul className="line-errors" data-testid="dataset-errors">
              {dataset.data.errors.slice(0, SHOWN_ERRORS).map((e) => (
                <li key={e.line}>
                  line {e.line}
                  {e.column === undefined ? '' : `, column ${e.column}`}: {e.message}
                </li>
              ))}
              {dataset.data.summary.rejected > SHOWN_ERRORS ? <li>… and {dataset.data.summary.rejected - SHOWN_ERRORS} more</li> : null}
            </ul>
          ) : null}
          <ul className="preview">
            {dataset.data.train.slice(0, PREVIEW).map((item, i) => (
              <li key={i}>
                <code>{JSON.stringify(item).slice(0, 160)}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
