// Validation of OpenAI-style chat messages ({"role", "content"} objects) from untyped JSON: JSONL
// dataset rows, task items and the CLI's --messages all go through checkMessages.

/** One OpenAI-style chat message. `content` may be a string or a list of parts ({type:'text', text}). */
export interface ChatMessage {
  /** 'system', 'developer', 'user' or 'assistant'. */
  role: string;
  /** The text, or OpenAI content parts of which only text parts are kept. */
  content: string | ReadonlyArray<{ type: string; text?: string }>;
}

/** Roles a message may have. */
export const CHAT_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** "null", "a list", "an object", "a number"...: for messages about a JSON value of the wrong kind. */
export function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** Validates `messages`; returns the messages or a problem description naming the field. */
export function checkMessages(m: unknown): ChatMessage[] | string {
  if (!Array.isArray(m)) return `"messages" must be a list of {"role", "content"} objects, got ${kindOf(m)}`;
  if (m.length === 0) return '"messages" is an empty list; it needs at least one {"role": "user", "content": "..."}';
  const out: ChatMessage[] = [];
  for (let k = 0; k < m.length; k++) {
    const msg: unknown = m[k];
    if (!isObject(msg)) return `"messages[${k}]" must be an object {"role", "content"}, got ${kindOf(msg)}`;
    const { role, content } = msg;
    if (typeof role !== 'string') return `"messages[${k}].role" must be a string, got ${kindOf(role)}`;
    if (!CHAT_ROLES.has(role)) return `"messages[${k}].role" is "${role}"; use one of ${[...CHAT_ROLES].join(', ')}`;
    if (typeof content === 'string') {
      out.push({ role, content });
      continue;
    }
    if (!Array.isArray(content)) return `"messages[${k}].content" must be a string or a list of parts, got ${kindOf(content)}`;
    const parts: { type: string; text?: string }[] = [];
    for (let p = 0; p < content.length; p++) {
      const part: unknown = content[p];
      if (!isObject(part) || typeof part.type !== 'string') return `"messages[${k}].content[${p}]" must be an object with a string "type"`;
      parts.push(typeof part.text === 'string' ? { type: part.type, text: part.text } : { type: part.type });
    }
    out.push({ role, content: parts });
  }
  return out;
}
