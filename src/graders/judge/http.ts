// A judge at any OpenAI-compatible endpoint: POST {baseURL}/chat/completions (and /embeddings), with a
// concurrency limit, retries with exponential backoff on 429 and 5xx (honouring Retry-After), a time limit
// per request, and a request log the page can show. The base URL and API key are the user's: the page keeps
// them in the browser's storage, Node reads OPENAI_BASE_URL / OPENAI_API_KEY (the OpenAI SDK's variables);
// they are never written into exports, share links or run records (this object is never serialized).
import { JudgeError, JudgeTimeoutError, type Judge, type JudgeRequest } from './types';

/** One HTTP judge's settings. */
export interface HttpJudgeConfig {
  /** Base URL including the version, e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8000/v1". */
  baseURL: string;
  /** Sent as "Authorization: Bearer <key>"; empty sends no header (local servers). */
  apiKey: string;
  /** Requests in flight at once (default 4). */
  concurrency: number;
  /** Retries after a 429, a 5xx or a network failure (default 3); other 4xx are not retried. */
  maxRetries: number;
  /** First backoff, ms; doubles each retry (default 500). A Retry-After header wins when longer (capped at 30 s). */
  backoffMs: number;
  /** Time limit of one request, ms (default 30000); past it the sample's reward is null with a message. */
  timeoutMs: number;
  /** Embedding model for text_similarity "cosine" (default "text-embedding-3-large"). */
  embeddingModel: string;
  /** Model id sent instead of the grader's `model` (e.g. the name a local server serves); absent = the grader's. */
  model?: string;
  /** The fetch to use (tests and the browser pass their own; default globalThis.fetch). */
  fetch?: typeof fetch;
}

export const DEFAULT_HTTP_JUDGE: Omit<HttpJudgeConfig, 'baseURL' | 'apiKey'> = {
  concurrency: 4,
  maxRetries: 3,
  backoffMs: 500,
  timeoutMs: 30_000,
  embeddingModel: 'text-embedding-3-large',
};

/** One request as the page's request log shows it. */
export interface JudgeLogEntry {
  /** When the attempt started (ISO 8601). */
  time: string;
  /** "/chat/completions" or "/embeddings". */
  path: string;
  /** HTTP status, or null when there was no response (network failure, timeout). */
  status: number | null;
  /** Duration of the attempt, ms. */
  ms: number;
  /** What went wrong, or null. */
  error: string | null;
}

/** How many entries the log keeps (oldest dropped first). */
const LOG_LIMIT = 1000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The judge settings from the environment (OPENAI_BASE_URL, OPENAI_API_KEY, as the OpenAI SDK reads them); null when neither is set. */
export function httpJudgeConfigFromEnv(env: Record<string, string | undefined>): HttpJudgeConfig | null {
  const baseURL = env.OPENAI_BASE_URL;
  const apiKey = env.OPENAI_API_KEY;
  if (!baseURL && !apiKey) return null;
  return { ...DEFAULT_HTTP_JUDGE, baseURL: baseURL || 'https://api.openai.com/v1', apiKey: apiKey ?? '' };
}

export class HttpJudge implements Judge {
  readonly label: string;
  /** Every attempt, newest last. */
  readonly log: JudgeLogEntry[] = [];
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly cfg: HttpJudgeConfig;

  constructor(cfg: Partial<HttpJudgeConfig> & Pick<HttpJudgeConfig, 'baseURL' | 'apiKey'>) {
    this.cfg = { ...DEFAULT_HTTP_JUDGE, ...cfg, baseURL: cfg.baseURL.replace(/\/+$/, '') };
    if (!/^https?:\/\//.test(this.cfg.baseURL)) {
      throw new JudgeError(`judge base URL "${cfg.baseURL}" must start with http:// or https:// (e.g. https://api.openai.com/v1)`);
    }
    this.label = this.cfg.baseURL;
  }

  async complete(req: JudgeRequest): Promise<string> {
    const s = req.sampling ?? {};
    const body: Record<string, unknown> = {
      model: this.cfg.model ?? req.model,
      messages: req.messages,
      response_format: { type: 'json_schema', json_schema: { name: req.schema.name, strict: true, schema: req.schema.schema } },
      ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
      ...(s.top_p !== undefined ? { top_p: s.top_p } : {}),
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
      ...(s.max_completions_tokens !== undefined ? { max_completion_tokens: s.max_completions_tokens } : {}),
      ...(s.reasoning_effort !== undefined ? { reasoning_effort: s.reasoning_effort } : {}),
    };
    const json = await this.post('/chat/completions', body);
    const content = readPath(json, ['choices', 0, 'message', 'content']);
    if (typeof content !== 'string') {
      const refusal = readPath(json, ['choices', 0, 'message', 'refusal']);
      if (typeof refusal === 'string') throw new JudgeError(`the judge refused: ${refusal}`);
      throw new JudgeError(`${this.label}/chat/completions answered without choices[0].message.content`);
    }
    return content;
  }

  async embed(model: string, texts: string[]): Promise<number[][]> {
    const json = await this.post('/embeddings', { model: model || this.cfg.embeddingModel, input: texts });
    const data = readPath(json, ['data']);
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new JudgeError(`${this.label}/embeddings answered without one data[i].embedding per input`);
    }
    return data.map((d: unknown, i) => {
      const e = readPath(d, ['embedding']);
      if (!Array.isArray(e) || !e.every((x) => typeof x === 'number'))
        throw new JudgeError(`${this.label}/embeddings: data[${i}].embedding is not a list of numbers`);
      return e;
    });
  }

  /** The embedding model used when a grader names none. */
  get embeddingModel(): string {
    return this.cfg.embeddingModel;
  }

  private async post(path: string, body: Record<string, unknown>): Promise<unknown> {
    await this.acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        const r = await this.attempt(path, body);
        if (r.ok) return r.json;
        if (!r.retry || attempt >= this.cfg.maxRetries) throw r.error;
        await sleep(Math.max(this.cfg.backoffMs * 2 ** attempt, Math.min(r.retryAfterMs, 30_000)));
      }
    } finally {
      this.release();
    }
  }

  private async attempt(
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ ok: true; json: unknown } | { ok: false; retry: boolean; retryAfterMs: number; error: JudgeError }> {
    const t0 = performance.now();
    const time = new Date().toISOString();
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.cfg.timeoutMs);
    const record = (status: number | null, error: string | null): void => {
      this.log.push({ time, path, status, ms: Math.round(performance.now() - t0), error });
      if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    };
    const doFetch = this.cfg.fetch ?? globalThis.fetch;
    try {
      const res = await doFetch(this.cfg.baseURL + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(this.cfg.apiKey ? { Authorization: `Bearer ${this.cfg.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: ctl.signal,
      });
      const text = await res.text();
      if (!res.ok) {
        const detail = `${this.label}${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`;
        record(res.status, detail);
        const retry = res.status === 429 || res.status >= 500;
        const ra = Number(res.headers.get('retry-after'));
        return { ok: false, retry, retryAfterMs: Number.isFinite(ra) ? ra * 1000 : 0, error: new JudgeError(detail, res.status) };
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        record(res.status, 'response is not JSON');
        return {
          ok: false,
          retry: false,
          retryAfterMs: 0,
          error: new JudgeError(`${this.label}${path} answered something that is not JSON: ${text.slice(0, 200)}`, res.status),
        };
      }
      record(res.status, null);
      return { ok: true, json };
    } catch (e) {
      if (ctl.signal.aborted) {
        const msg = `${this.label}${path} gave no answer within ${this.cfg.timeoutMs} ms`;
        record(null, msg);
        return { ok: false, retry: false, retryAfterMs: 0, error: new JudgeTimeoutError(msg) };
      }
      const msg = `${this.label}${path} could not be reached: ${e instanceof Error ? e.message : String(e)}`;
      record(null, msg);
      return { ok: false, retry: true, retryAfterMs: 0, error: new JudgeError(msg) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < this.cfg.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.active--;
  }
}

/** Follows keys/indices into parsed JSON; undefined where the path does not exist. */
function readPath(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const k of path) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    } // non-null object checked
  }
  return cur;
}
