// The grader contract, shared by the engine, the CLI and the UI. Names follow OpenAI's graders
// (sample.output_text, sample.output_json, item.<field>) so graders and datasets move between
// Cherry and OpenAI RFT without edits.
import type { GraderSpec } from './spec';

/** One model output as a grader sees it. */
export interface Sample {
  /** The completion text (prompt excluded). */
  output_text: string;
  /** `output_text` parsed as JSON when it is valid JSON, else null. */
  output_json: unknown;
  /** Number of completion tokens. */
  output_tokens: number;
  /** Why generation stopped: 'stop' (EOS or a stop string) or 'length' (max new tokens). */
  finish_reason?: 'stop' | 'length';
  /**
   * The tool calls of the output, shaped as Chat Completions' `message.tool_calls`
   * ([{id, type: "function", function: {name, arguments}}]); only where the sample has them (a
   * `graders/run` payload or a dataset of recorded outputs). Cherry's own models make no tool calls.
   */
  output_tools?: unknown[];
  /** The output as Chat Completions' `choices` ([{index, message, finish_reason}]); only where the sample has them. */
  choices?: unknown[];
}

/** A dataset row, with all its fields (e.g. `reference_answer`). */
export type Item = Record<string, unknown>;

/** What a grader may return: a reward, or a reward with details the UI shows. */
export type GraderReturn = number | { score: number; details?: unknown };

/** The outcome of grading one sample. `reward === null` means unscorable (an error or a timeout). */
export interface GradeResult {
  reward: number | null;
  /** Scores of named sub-graders (multi graders), keyed by name. */
  sub_rewards: Record<string, number | null>;
  details?: unknown;
  /** A message a user can act on (which grader, what went wrong, where), or null. */
  error: string | null;
  /** 'timeout' when the sample ran past its time limit, 'error' for any other failure. */
  error_kind?: 'timeout' | 'error' | null;
  /**
   * True when the grader gave no valid score and the `invalid_reward: "zero"` option turned it into 0
   * (`error` says why); absent otherwise.
   */
  invalid?: true;
  /** Wall time spent grading this sample, milliseconds. */
  ms: number;
}

export interface GradeRequest {
  sample: Sample;
  item: Item;
}

/** Limits applied to user code. */
export interface GraderLimits {
  /** Per-sample time limit, ms (default 1000). */
  sampleTimeoutMs: number;
  /** Per-call (whole step) time limit, ms (default 30000). */
  stepTimeoutMs: number;
}

export const DEFAULT_LIMITS: GraderLimits = { sampleTimeoutMs: 1000, stepTimeoutMs: 30_000 };

/** Anything that can grade a batch (a whole step's samples) in one call. */
export interface Grader {
  /** Display name (used in messages: "grader 'x' failed on sample 3: ..."). */
  readonly name: string;
  gradeBatch(requests: GradeRequest[]): Promise<GradeResult[]>;
  /** Frees workers; the grader cannot be used afterwards. */
  dispose(): void;
}

/** Builds a Sample from a completion, parsing output_json when the text is valid JSON. */
export function makeSample(output_text: string, output_tokens: number, finish_reason?: 'stop' | 'length'): Sample {
  let output_json: unknown = null;
  const t = output_text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      output_json = JSON.parse(t);
    } catch {
      output_json = null;
    }
  }
  return { output_text, output_json, output_tokens, finish_reason };
}

/** Where a grader comes from: user code in an editor, or a JSON spec (OpenAI format or Cherry extras). */
export type GraderSource = { kind: 'js' | 'ts' | 'python'; code: string; name?: string } | { kind: 'spec'; spec: GraderSpec };
