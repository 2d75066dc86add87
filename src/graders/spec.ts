// Grader specs: the JSON objects OpenAI's RFT grader API accepts (string_check, text_similarity,
// python, multi, score_model, label_model), plus Cherry's extras in the same style (regex, json_schema, javascript).
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
  'fuzzy_match' | 'bleu' | 'gleu' | 'meteor' | 'rouge_1' | 'rouge_2' | 'rouge_3' | 'rouge_4' | 'rouge_5' | 'rouge_l';

export interface TextSimilaritySpec {
  type: 'text_similarity';
  name: string;
  input: string;
  reference: string;
  /** A local metric, or "cosine": the cosine of the two texts' embeddings from the judge's /v1/embeddings. */
  evaluation_metric: SimilarityMetric | 'cosine';
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
  /** Accepted for OpenAI compatibility; ignored (Cherry runs Pyodide; see docs/python-packages.md). */
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

/** A text part of a judge message (OpenAI's input_text / output_text content items). */
export interface TextPart {
  type: 'input_text' | 'output_text';
  /** May contain templates. */
  text: string;
}

/** One message to the judge (OpenAI's EasyInputMessage / EvalItem); text content may contain templates. */
export interface JudgeMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  /** A string, one text part, or a list of text parts (joined). Images and audio are not supported. */
  content: string | TextPart | TextPart[];
  /** OpenAI's optional "message" tag. */
  type?: 'message';
}

/** OpenAI's sampling_params of a model grader; forwarded to /v1/chat/completions. */
export interface JudgeSamplingParams {
  temperature?: number;
  top_p?: number;
  seed?: number;
  /** OpenAI's spelling; sent as max_completion_tokens. */
  max_completions_tokens?: number;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
}

/** score_model (OpenAI): a judge model reads the messages and answers a score in `range`. */
export interface ScoreModelSpec {
  type: 'score_model';
  name: string;
  /** The judge model's id at the endpoint (or of a local judge). */
  model: string;
  input: JudgeMessage[];
  /** [min, max] of the judge's score (default [0, 1]); a score outside it is an invalid answer. */
  range?: [number, number];
  sampling_params?: JudgeSamplingParams;
  /** As for text_similarity: only sets details.passed; the score is the judge's number. */
  pass_threshold?: number;
}

/** label_model (OpenAI): a judge model picks one of `labels`; 1 when it is one of `passing_labels`, else 0. */
export interface LabelModelSpec {
  type: 'label_model';
  name: string;
  model: string;
  input: JudgeMessage[];
  labels: string[];
  /** A non-empty subset of labels. */
  passing_labels: string[];
  sampling_params?: JudgeSamplingParams;
}

export type GraderSpec =
  | StringCheckSpec
  | TextSimilaritySpec
  | PythonSpec
  | MultiSpec
  | ScoreModelSpec
  | LabelModelSpec
  | RegexSpec
  | JsonSchemaSpec
  | JavaScriptSpec;

export type GraderType = GraderSpec['type'];
