// The grader's code in CodeMirror 6: JavaScript/TypeScript highlighting (JSON for grader JSON), line
// numbers, undo, bracket matching, and a light or dark look that follows the page theme. The editor owns its text; every change is
// sent to the store, and a change in the store from elsewhere (a template) replaces the text.
import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { oneDark } from '@codemirror/theme-one-dark';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { Problem } from './tryInputs';
import { isGraderJson, isTypeScript } from './lang';

export interface GraderEditorProps {
  /** Current code (from the store). */
  code: string;
  /** Called on every edit with the whole text. */
  onChange: (code: string) => void;
  /** Dark look (one-dark) or the default light one. */
  dark: boolean;
  /** Errors to underline at their line (from the last try), empty for none. */
  problems: Problem[];
}

/** CodeMirror diagnostics for problems, clamped to the document (the code may have changed since). */
function diagnostics(state: EditorState, problems: Problem[]): Diagnostic[] {
  return problems.map((p) => {
    const line = state.doc.line(Math.min(Math.max(p.line, 1), state.doc.lines));
    const from = Math.min(line.from + Math.max(p.column - 1, 0), line.to);
    return { from, to: Math.max(line.to, from), severity: 'error', message: p.message };
  });
}

const lightTheme = EditorView.theme({ '&': { backgroundColor: 'var(--surface-2)' } });

type Lang = 'json' | 'ts' | 'js';
const langOf = (code: string): Lang => (isGraderJson(code) ? 'json' : isTypeScript(code) ? 'ts' : 'js');
const langExtension = (l: Lang) => (l === 'json' ? json() : javascript({ typescript: l === 'ts' }));

export function GraderEditor({ code, onChange, dark, problems }: GraderEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const theme = useRef(new Compartment());
  const language = useRef(new Compartment());
  const lang = langOf(code);
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => {
    if (host.current === null) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: code,
        extensions: [
          basicSetup,
          language.current.of(langExtension(lang)),
          lintGutter(),
          EditorView.lineWrapping,
          theme.current.of(dark ? oneDark : lightTheme),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'Grader code' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Created once; later code and theme changes are applied by the effects below.
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : lightTheme) });
  }, [dark]);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(langExtension(lang)) });
  }, [lang]);

  useEffect(() => {
    const v = view.current;
    if (v !== null && v.state.doc.toString() !== code) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: code } });
    }
  }, [code]);

  useEffect(() => {
    const v = view.current;
    if (v !== null) v.dispatch(setDiagnostics(v.state, diagnostics(v.state, problems)));
  }, [problems]);

  return <div className="editor" data-testid="grader-editor" data-language={lang} ref={host} />;
}
