// Above the grader editor: templates for each grader type, the contract (help), import/export of
// OpenAI grader JSON, and Validate (OpenAI's graders/validate, run in the worker). Errors are shown with
// their file or field, line and column.
import { useRef, useState } from 'react';
import type { Replies } from '../../worker/protocol';
import { GRADER_TEMPLATES } from './templates';
import type { Problem } from './tryInputs';

export interface GraderToolbarProps {
  code: string;
  /** Replaces the editor's text. */
  onCode: (code: string) => void;
  helpOpen: boolean;
  onHelp: (open: boolean) => void;
  /** Reports an import/export problem to underline in the editor (null clears it). */
  onProblem: (p: Problem | null) => void;
  /** Checks the grader in the train worker (EngineController.validateGrader); null while no worker is ready. */
  validate: (() => Promise<Replies['validateGrader']>) | null;
}

/** Saves text as a file download. */
function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function GraderToolbar({ code, onCode, helpOpen, onHelp, onProblem, validate }: GraderToolbarProps) {
  const file = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // source.ts carries the built-in graders' validators: loaded on first use, not with the page.
  const onFile = async (f: File) => {
    const io = await import('./source');
    try {
      onCode(io.importGraderText(await f.text(), f.name));
      setMessage({ ok: true, text: `Imported ${f.name}.` });
      onProblem(null);
    } catch (e) {
      setMessage({ ok: false, text: io.describeGraderError(e).message });
      onProblem(null);
    }
  };
  const onExport = async () => {
    const io = await import('./source');
    try {
      download(io.exportGraderText(code), 'grader.json');
      setMessage({ ok: true, text: 'Exported grader.json (OpenAI grader JSON).' });
      onProblem(null);
    } catch (e) {
      const d = io.describeGraderError(e);
      setMessage({ ok: false, text: d.message });
      onProblem(d.problem); // the JSON is in the editor: underline the place
    }
  };
  const onValidate = async (check: () => Promise<Replies['validateGrader']>) => {
    try {
      const v = await check();
      if ('invalid' in v) {
        setMessage({ ok: false, text: `${v.invalid.name}: ${v.invalid.message}` });
        onProblem(null);
        return;
      }
      const openai = v.openai.ok ? 'OpenAI RFT accepts it as it is.' : `Not for OpenAI: ${v.openai.reason}`;
      setMessage({ ok: true, text: `Valid ${v.grader.type} grader '${v.grader.name}'. ${openai}` });
      onProblem(null);
    } catch (e) {
      const d = (await import('./source')).describeGraderError(e);
      setMessage({ ok: false, text: d.message });
      onProblem(d.problem);
    }
  };
  return (
    <div className="grader-toolbar">
      <label className="template-pick">
        Template
        <select
          value=""
          data-testid="grader-template"
          onChange={(e) => {
            const t = GRADER_TEMPLATES.find((x) => x.id === e.target.value);
            if (t !== undefined) {
              onCode(t.text);
              setMessage({ ok: true, text: `${t.label}: ${t.blurb}` });
              onProblem(null);
            }
          }}
        >
          <option value="" disabled>
            insert…
          </option>
          {GRADER_TEMPLATES.map((t) => (
            <option key={t.id} value={t.id} title={t.blurb}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" aria-pressed={helpOpen} onClick={() => onHelp(!helpOpen)}>
        Contract &amp; examples
      </button>
      <button type="button" onClick={() => file.current?.click()}>
        Import JSON
      </button>
      <input
        ref={file}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="grader-import"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f !== undefined) void onFile(f);
        }}
      />
      <button type="button" onClick={() => void onExport()}>
        Export JSON
      </button>
      <button
        type="button"
        data-testid="grader-validate"
        disabled={validate === null}
        title="Check every field and build the grader once, as OpenAI's graders/validate does (nothing is graded)"
        onClick={() => {
          if (validate !== null) void onValidate(validate);
        }}
      >
        Validate
      </button>
      {message === null ? null : (
        <p
          className={message.ok ? 'hint toolbar-note' : 'error-text toolbar-note'}
          role={message.ok ? undefined : 'alert'}
          data-testid="grader-io-message"
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
