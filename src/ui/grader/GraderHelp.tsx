// The grader contract and examples, one click away (a drawer beside the editor).
const EXAMPLE = `function grade(sample, item) {
  const answer = sample.output_text.trim();
  if (answer === item.reference_answer) return 1;
  return { score: 0, details: { expected: item.reference_answer, got: answer } };
}`;

const JSON_EXAMPLE = `{ "type": "string_check", "name": "exact", "input": "{{ sample.output_text }}",
  "reference": "{{ item.reference_answer }}", "operation": "eq" }`;

export function GraderHelp({ onClose }: { onClose: () => void }) {
  return (
    <aside className="grader-help" aria-label="The grader contract" data-testid="grader-help">
      <div className="compare-head">
        <strong>Writing a grader</strong>
        <button type="button" onClick={onClose} aria-label="Close the grader help">
          ✕
        </button>
      </div>
      <p>
        A grader is a function <code>grade(sample, item)</code> that returns a reward (normally in [0, 1]) or
        <code> {'{ score, details }'}</code>. The names are OpenAI’s, so graders and datasets move between Cherry and OpenAI RFT without
        edits:
      </p>
      <ul>
        <li>
          <code>sample.output_text</code> — the completion; <code>sample.output_json</code> — it parsed as JSON, or <code>null</code>;
          <code> sample.output_tokens</code> — its length in tokens; <code>sample.finish_reason</code> — <code>'length'</code> when it was
          cut off.
        </li>
        <li>
          <code>item</code> — the dataset row with all its fields, e.g. <code>item.reference_answer</code>.
        </li>
        <li>
          Return <code>null</code> when the sample cannot be scored: it is left out of its group’s statistics and shown as an error.
        </li>
      </ul>
      <pre>
        <code>{EXAMPLE}</code>
      </pre>
      <p>
        Graders may be <code>async</code>. For TypeScript, start the code with <code>// @language ts</code>. Code runs in its own worker
        with a time limit and no network or page access: a grader that throws, loops forever or returns something that is not a finite
        number marks that sample as a grader error — never silently a zero.
      </p>
      <p>
        Built-in graders are OpenAI grader JSON (start the editor with <code>{'{'}</code>): <code>string_check</code>,{' '}
        <code>text_similarity</code>,<code> multi</code> (sub-graders combined by <code>calculate_output</code>), <code>python</code>{' '}
        (Pyodide, standard library), and Cherry’s
        <code> regex</code> and <code>json_schema</code>. Templates above insert one of each.
      </p>
      <pre>
        <code>{JSON_EXAMPLE}</code>
      </pre>
      <p className="hint">
        A good grader gives a spread of rewards inside each group: some completions better than others. If every completion of a group gets
        the same score, that group teaches the model nothing.
      </p>
    </aside>
  );
}
