// Grader specs: the JSON objects OpenAI's RFT grader API accepts (string_check, text_similarity,
// python, multi), plus Cherry's extras in the same style (regex, json_schema, javascript).
// A spec is plain JSON: it is what the UI exports/imports and what a shared link carries.
// Templates such as "{{ sample.output_text }}" or "{{ item.reference_answer }}" appear in `input`/`reference`.

export interface StringCheckSpec {
  type: 'string_check';
  name: string;
  input: string;
  reference: string;
  /** eq / ne: exact (in)equality; like: `reference` is contained in `input`; ilike: same, case-insensitive. */
  operation: 'eq' | 'ne' | 'like' | 'ilike';
}

/**
 * fuzzy_match: rapidfuzz fuzz.ratio / 100. bleu: sacrebleu sentence_bleu / 100 (13a, exp smoothing).
 * gleu: nltk sentence_gleu on whitespace tokens. meteor: nltk meteor_score (alpha 0.9, beta 3, gamma 0.5)
 * with exact and Porter-stem matching but no WordNet synonyms. rouge_N / rouge_l: rouge-score F-measure,
 * no stemming. All in [0, 1]; details in src/graders/metrics/.
 */
export type SimilarityMetric =
  | 'fuzzy_match' | 'bleu' | 'gleu' | 'meteor'
  | 'rouge_1' | 'rouge_2' | 'rouge_3' | 'rouge_4' | 'rouge_5' | 'rouge_l';

export interface TextSimilaritySpec {
  type: 'text_similarity';
  name: string;
  input: string;
  reference: string;
  evaluation_metric: SimilarityMetric;
  /**
   * Only marks pass/fail: `details.passed` is true when the metric is >= this threshold. The score stays
   * the metric value (OpenAI's semantics; its fine-tuning schema has no such field, evals use it for pass/fail).
   */
  pass_threshold?: number;
}

export interface PythonSpec {
  type: 'python';
  name: string;
  /** Python source defining `grade(sample, item) -> float`. */
  source: string;
  /** Accepted for OpenAI compatibility; ignored (Cherry runs Pyodide, stdlib only). */
  image_tag?: string;
}

export interface MultiSpec {
  type: 'multi';
  name: string;
  /** Named sub-graders; their names are the variables of `calculate_output`. */
  graders: Record<string, GraderSpec>;
  /** A formula over sub-grader names: + - * / ^, min max abs floor ceil exp sqrt log. */
  calculate_output: string;
}

/** Cherry extra: a regular expression test. */
export interface RegexSpec {
  type: 'regex';
  name: string;
  input: string;
  /** JavaScript regular expression source (no slashes). */
  pattern: string;
  /** JavaScript flags (i, m, s, u, v, d); g and y are ignored, the mode decides where a match may lie. */
  flags?: string;
  /** match: found anywhere; full_match: the whole input matches; capture: group `group` equals `reference`. */
  mode: 'match' | 'full_match' | 'capture';
  /** Required for mode 'capture'. */
  reference?: string;
  /** Capture group index or name for mode 'capture' (default 1). */
  group?: number | string;
}

/** Cherry extra: the input parses as JSON and validates against a JSON Schema. */
export interface JsonSchemaSpec {
  type: 'json_schema';
  name: string;
  /** Defaults to "{{ sample.output_text }}". */
  input?: string;
  /**
   * JSON Schema 2020-12 (draft-07 when its $schema says so). Unknown keywords and unknown formats are load
   * errors; formats checked: date, time, date-time, email, uri, uuid, ipv4, hostname.
   */
  schema: Record<string, unknown>;
  /**
   * none: 1 if valid else 0. parse: 0.5 for valid JSON that fails the schema.
   * fields: fraction of the schema's top-level `required` properties that are present and valid
   * (needs a non-empty top-level `required`). Output that is not JSON scores 0 in every mode.
   * Default none.
   */
  partial_credit?: 'none' | 'parse' | 'fields';
}

/** Cherry extra: a JavaScript or TypeScript `grade(sample, item)` run in the sandbox. */
export interface JavaScriptSpec {
  type: 'javascript';
  name: string;
  source: string;
  language?: 'js' | 'ts';
}

export type GraderSpec =
  | StringCheckSpec | TextSimilaritySpec | PythonSpec | MultiSpec
  | RegexSpec | JsonSchemaSpec | JavaScriptSpec;

export type GraderType = GraderSpec['type'];
