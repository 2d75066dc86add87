// The plain prompt format of Cherry's built-in models (they have no chat template):
//
//   ids = [<bos>] + encode(promptText) + encode(completion) + [<eos>]
//
// The prompt text is the task prompt as is (e.g. "12+345="); the model continues it directly with
// the completion ("357") and ends with <eos>. Nothing separates prompt and completion: the prompt
// itself ends with its cue ("=", ":", "\n"). OpenAI-style `messages` turn into that text with
// `formatMessages`: the message contents in order, joined by "\n" (roles are not written, since the
// built-in models never saw them); a single user message is exactly its content.
import type { Tokenizer } from './load';

/** One OpenAI-style chat message. `content` may be a string or a list of parts ({type:'text', text}). */
export interface ChatMessage {
  /** 'system', 'developer', 'user' or 'assistant'. */
  role: string;
  /** The text, or OpenAI content parts of which only text parts are kept. */
  content: string | ReadonlyArray<{ type: string; text?: string }>;
}

/** The text of a message's content (text parts concatenated; images and other parts dropped). */
export function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' || p.type === 'input_text') && typeof p.text === 'string' ? p.text : '').join('');
}

/** The built-in models' prompt text for a list of messages: contents joined by "\n". */
export function formatMessages(messages: readonly ChatMessage[]): string {
  return messages.map((m) => messageText(m.content)).join('\n');
}

/** Prompt ids in the built-in format: <bos> (when the tokenizer has one) then the prompt text. */
export function promptIds(tok: Tokenizer, promptText: string): number[] {
  const ids = tok.encode(promptText);
  return tok.bosId === null ? ids : [tok.bosId, ...ids];
}

/** Completion ids for supervised training: the completion text then the first eos id. */
export function completionIds(tok: Tokenizer, completion: string): number[] {
  const ids = tok.encode(completion);
  return tok.eosIds.length > 0 ? [...ids, tok.eosIds[0]] : ids;
}
