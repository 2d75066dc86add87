// The plain prompt format of Cherry's built-in models (they have no chat template):
//
//   ids = [<bos>] + encode(promptText) + encode(completion) + [<eos>]
//
// The prompt text is the task prompt as is (e.g. "12+345="); the model continues it directly with
// the completion ("357") and ends with <eos>. Nothing separates prompt and completion: the prompt
// itself ends with its cue ("=", ":", "\n"). OpenAI-style `messages` turn into that text with
// `formatMessages`: the message contents in order, joined by "\n" (roles are not written, since the
// built-in models never saw them); a single user message is exactly its content.
//
// A tokenizer with a chat template (a real instruct model) renders an item's `messages` with it instead
// (itemPromptIds); items with only a `prompt` string keep the plain format on every model.
import type { Tokenizer } from './load';
import { checkMessages, type ChatMessage } from './messages';

export type { ChatMessage };
import { ChatTemplateMissingError } from './chat';

/** The text of a message's content (text parts concatenated; images and other parts dropped). */
export function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((p) => ((p.type === 'text' || p.type === 'input_text') && typeof p.text === 'string' ? p.text : '')).join('');
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

/** An item whose prompt cannot be built (no prompt string, or malformed messages). */
export class PromptInputError extends Error {
  override name = 'PromptInputError';
}

/** The messages of a conversation that form the prompt: a trailing assistant message is the answer, not prompt. */
export function promptMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.length > 0 && messages[messages.length - 1].role === 'assistant' ? messages.slice(0, -1) : messages.slice();
}

/**
 * Prompt ids of a chat through the tokenizer's chat template, with the generation prompt. The rendered
 * text is encoded without adding special tokens: a template that wants a BOS writes it itself, so
 * there is never a second one. Content-part lists are passed as their text. Throws ChatTemplateMissingError
 * when the tokenizer has no template.
 */
export function chatPromptIds(tok: Tokenizer, messages: readonly ChatMessage[]): { text: string; ids: number[] } {
  if (tok.chatTemplate === null) throw new ChatTemplateMissingError(tok.source);
  // Content-part lists become their text: the templates of text-only models concatenate strings.
  const text = tok.chatTemplate.render(
    messages.map((m) => ({ role: m.role, content: messageText(m.content) })),
    { addGenerationPrompt: true },
  );
  return { text, ids: tok.encode(text) };
}

/**
 * Prompt ids of a task or dataset item: its `messages` through the chat template when the tokenizer has
 * one, else its `prompt` string in the plain format (promptIds). `index` names the item in errors.
 */
export function itemPromptIds(tok: Tokenizer, item: Readonly<Record<string, unknown>>, index: number): number[] {
  if (tok.chatTemplate !== null && item.messages !== undefined) {
    const msgs = checkMessages(item.messages);
    if (typeof msgs === 'string') throw new PromptInputError(`item ${index}: ${msgs}.`);
    const prompt = promptMessages(msgs);
    if (prompt.length === 0)
      throw new PromptInputError(`item ${index}: "messages" holds only an assistant answer; add the user message before it.`);
    return chatPromptIds(tok, prompt).ids;
  }
  const p = item.prompt;
  if (typeof p !== 'string') {
    throw new PromptInputError(
      `item ${index} has no "prompt" string (got ${JSON.stringify(p) ?? 'nothing'}); every task item needs one (or "messages", for a model with a chat template).`,
    );
  }
  return promptIds(tok, p);
}

/** Ids that end a completion: the tokenizer's (eos, end-of-turn, generation_config.json) and the model config's. */
export function stopIds(tok: Tokenizer, modelEosIds: readonly number[]): number[] {
  return [...new Set([...tok.eosIds, ...modelEosIds])];
}
