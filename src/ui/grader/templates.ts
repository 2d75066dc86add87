// Starting points for each kind of grader, inserted into the editor on click (pure data). JavaScript and
// TypeScript are code; the built-in types are OpenAI-style grader JSON (src/graders/spec.ts).

export interface GraderTemplate {
  /** Stable id (button keys, tests). */
  id: 'javascript' | 'typescript' | 'string_check' | 'text_similarity' | 'regex' | 'json_schema' | 'multi' | 'python';
  /** Button text. */
  label: string;
  /** One line: when to use it. */
  blurb: string;
  /** The editor text. */
  text: string;
}

/** First line that marks editor code as TypeScript (see graderSourceFromText). */
export const TS_DIRECTIVE = '// @language ts';

const json = (o: object) => `${JSON.stringify(o, null, 2)}\n`;

export const GRADER_TEMPLATES: readonly GraderTemplate[] = [
  {
    id: 'javascript',
    label: 'JavaScript',
    blurb: 'Any logic: exact match with details on a miss.',
    text: `// grade(sample, item) returns a reward in [0, 1], { score, details }, or null (cannot score).
function grade(sample, item) {
  const answer = sample.output_text.trim();
  if (answer === String(item.reference_answer)) return 1;
  return { score: 0, details: { expected: item.reference_answer, got: answer } };
}
`,
  },
  {
    id: 'typescript',
    label: 'TypeScript',
    blurb: 'The same, typed; partial credit for a near miss.',
    text: `${TS_DIRECTIVE}
interface Sample { output_text: string; output_json: unknown; output_tokens: number }

function grade(sample: Sample, item: { reference_answer: string }): number {
  const got = Number(sample.output_text.trim()), want = Number(item.reference_answer);
  if (!Number.isFinite(got)) return 0;
  if (got === want) return 1;
  return Math.abs(got - want) <= 1 ? 0.5 : 0; // off by one: half credit
}
`,
  },
  {
    id: 'string_check',
    label: 'string_check',
    blurb: 'Exact (eq/ne) or contains (like/ilike) against a field.',
    text: json({
      type: 'string_check',
      name: 'exact',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      operation: 'eq',
    }),
  },
  {
    id: 'text_similarity',
    label: 'text_similarity',
    blurb: 'Fuzzy, BLEU, ROUGE or METEOR similarity to a reference.',
    text: json({
      type: 'text_similarity',
      name: 'similar',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      evaluation_metric: 'fuzzy_match',
    }),
  },
  {
    id: 'regex',
    label: 'regex',
    blurb: 'The output matches a pattern (or a captured group equals a field).',
    text: json({ type: 'regex', name: 'answer_format', input: '{{ sample.output_text }}', pattern: '^-?\\d+$', mode: 'full_match' }),
  },
  {
    id: 'json_schema',
    label: 'json_schema',
    blurb: 'The output is JSON that fits a schema; partial credit per field.',
    text: json({
      type: 'json_schema',
      name: 'valid_json',
      schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] },
      partial_credit: 'fields',
    }),
  },
  {
    id: 'multi',
    label: 'multi',
    blurb: 'Several graders combined by a formula; each shows as its own chart.',
    text: json({
      type: 'multi',
      name: 'format_and_answer',
      graders: {
        format: { type: 'regex', name: 'format', input: '{{ sample.output_text }}', pattern: '^-?\\d+$', mode: 'full_match' },
        answer: {
          type: 'string_check',
          name: 'answer',
          input: '{{ sample.output_text }}',
          reference: '{{ item.reference_answer }}',
          operation: 'eq',
        },
      },
      calculate_output: '0.2 * format + 0.8 * answer',
    }),
  },
  {
    id: 'python',
    label: 'python',
    blurb: 'OpenAI’s python grader, run in Pyodide (standard library only).',
    text: json({
      type: 'python',
      name: 'py_exact',
      source:
        'def grade(sample, item) -> float:\n    answer = sample["output_text"].strip()\n    return 1.0 if answer == str(item["reference_answer"]) else 0.0\n',
    }),
  },
];
