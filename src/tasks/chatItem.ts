// Items of the built-in chat tasks: OpenAI-style `messages` (rendered through the model's chat template,
// see src/tokenizer/prompt itemPromptIds) plus a plain `prompt` (the contents joined by "\n", the same
// text a JSONL messages row gets) for display, for splitting and for models without a template.
import type { Item } from '../graders/types';
import { formatMessages, type ChatMessage } from '../tokenizer/prompt';
import type { Problem } from './generate';

/** The model chat tasks start from (a small Hub instruct model; the built-in char models cannot chat). */
export const CHAT_TASK_MODEL = 'hf:HuggingFaceTB/SmolLM2-135M-Instruct';

/** A problem whose prompt is a system message (when given) and one user message; `fields` are the reference fields. */
export function chatProblem(system: string | null, user: string, fields: Item): Problem {
  const messages: ChatMessage[] =
    system === null
      ? [{ role: 'user', content: user }]
      : [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ];
  const prompt = formatMessages(messages);
  return { prompt, item: { ...fields, prompt, messages } };
}
