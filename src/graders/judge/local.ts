// A judge that is a local model loaded in the page or the CLI (a built-in or Hub model). It must be its
// own frozen copy, never the policy being trained: the judge only generates, and a policy that graded
// itself would learn to please itself. Messages become the model's prompt as for any task
// (tokenizer/prompt.ts: contents joined by "\n"); the answer is decoded greedily unless sampling_params
// say otherwise, and read by the grader like any judge's answer. Calls run one at a time (one model).
import { generate, type Llama } from '../../model';
import { formatMessages, promptIds, type Tokenizer } from '../../tokenizer';
import { JudgeError, type Judge, type JudgeRequest } from './types';

/** Settings of a local judge. */
export interface LocalJudgeConfig {
  /** Shown in messages, e.g. "local model cherry-arith". */
  label: string;
  /** Answer length when sampling_params has no max_completions_tokens (default 16). */
  maxNewTokens: number;
}

export class LocalModelJudge implements Judge {
  readonly label: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cfg: LocalJudgeConfig;

  constructor(
    private readonly model: Llama,
    private readonly tokenizer: Tokenizer,
    cfg: Partial<LocalJudgeConfig> = {},
  ) {
    this.cfg = { label: 'local model', maxNewTokens: 16, ...cfg };
    this.label = this.cfg.label;
  }

  complete(req: JudgeRequest): Promise<string> {
    const run = async (): Promise<string> => {
      const s = req.sampling ?? {};
      const prompt = promptIds(this.tokenizer, formatMessages(req.messages));
      const maxNewTokens = Math.min(
        s.max_completions_tokens ?? this.cfg.maxNewTokens,
        this.model.config.maxPositionEmbeddings - prompt.length,
      );
      if (maxNewTokens < 1) {
        throw new JudgeError(
          `${this.label}: the judge prompt is ${prompt.length} tokens, and the model holds ${this.model.config.maxPositionEmbeddings}`,
        );
      }
      const eosIds = this.tokenizer.eosIds.length > 0 ? this.tokenizer.eosIds : this.model.config.eosTokenIds;
      const r = await generate(this.model, [prompt], {
        maxNewTokens,
        temperature: s.temperature ?? 0,
        topK: 0,
        topP: s.top_p ?? 1,
        seed: s.seed ?? 0,
        eosIds,
      });
      return this.tokenizer.decode(r.ids[0]);
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
