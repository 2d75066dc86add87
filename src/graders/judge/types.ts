// The judge behind model graders (score_model, label_model) and text_similarity "cosine": anything that
// turns chat messages into a text answer (and texts into embeddings). Two kinds are planned: an
// OpenAI-compatible HTTP endpoint (http.ts) and a local model loaded in the page or the CLI (a frozen
// built-in or Hub model, never the policy being trained), which only has to implement `complete`.
import type { JudgeSamplingParams } from '../spec';

/** One rendered message (templates already filled in). */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string;
}

/** What the grader asks of the judge. */
export interface JudgeRequest {
  /** The model id of the grader spec. */
  model: string;
  messages: ChatMessage[];
  sampling?: JudgeSamplingParams;
  /**
   * The JSON Schema of the answer the grader wants (sent as a json_schema response format where the judge
   * supports one); the judge may still answer free text, which the grader then reads as best it can.
   */
  schema: { name: string; schema: Record<string, unknown> };
}

export interface Judge {
  /** Where the answers come from, for messages ("http://127.0.0.1:8080/v1", "local model stories15M"). */
  readonly label: string;
  /** The judge's answer text. Throws JudgeTimeoutError past its time limit, JudgeError for other failures. */
  complete(req: JudgeRequest): Promise<string>;
  /** One embedding per text; absent for judges without embeddings. */
  embed?(model: string, texts: string[]): Promise<number[][]>;
}

/** The judge failed to answer (HTTP error after retries, network failure, unreadable response). */
export class JudgeError extends Error {
  override name = 'JudgeError';
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** The judge did not answer within its time limit. */
export class JudgeTimeoutError extends JudgeError {
  override name = 'JudgeTimeoutError';
}
