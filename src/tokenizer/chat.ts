// Chat templates: a model's own Jinja template (tokenizer_config.json "chat_template", or a
// chat_template.jinja file) rendered with @huggingface/jinja the way Hugging Face transformers'
// `apply_chat_template` renders it with Python's jinja2:
//   - variables: messages, add_generation_prompt, tools=None, documents=None, and the tokenizer's special
//     tokens (bos_token, eos_token, unk_token, sep_token, pad_token, cls_token, mask_token,
//     additional_special_tokens) when set;
//   - helpers: raise_exception(msg) (an error) and strftime_now(fmt) (the current local time);
//   - trim_blocks and lstrip_blocks on (the library's tokenizer always does this), tojson without ASCII escaping.
// Reference: transformers/utils/chat_template_utils.py (_compile_jinja_template, render_jinja_template).
// The rendered text already holds every special token the model expects (a template that wants a BOS
// writes bos_token itself), so it is tokenized with no special tokens added: see chatPromptIds.
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import type { ChatMessage } from './messages';

/** The chat template text cannot be parsed: names where it came from and what is wrong. */
export class ChatTemplateSyntaxError extends Error {
  override name = 'ChatTemplateSyntaxError';
  constructor(
    readonly origin: string,
    readonly problem: string,
  ) {
    super(
      `The chat template from ${origin} is not valid Jinja: ${problem}. Fix the template text ` +
        "(it must be the model's own template, e.g. copied from its tokenizer_config.json on the Hub) or remove it.",
    );
  }
}

/** Rendering failed (the template called raise_exception, or an expression failed on these messages). */
export class ChatTemplateRenderError extends Error {
  override name = 'ChatTemplateRenderError';
  constructor(
    readonly origin: string,
    readonly problem: string,
  ) {
    super(
      `The chat template from ${origin} refused these messages: ${problem}. Check the messages' roles and ` +
        'order (most templates want an optional system message, then user and assistant turns alternating, ending with a user turn).',
    );
  }
}

/** Messages were given to a tokenizer that has no chat template. */
export class ChatTemplateMissingError extends Error {
  override name = 'ChatTemplateMissingError';
  constructor(readonly source: string) {
    super(
      `The tokenizer '${source}' has no chat template, so chat messages cannot be turned into a prompt. ` +
        'Add "chat_template" to tokenizer_config.json or a chat_template.jinja file beside tokenizer.json ' +
        '(copy the model\'s own from the Hub), or use rows with a plain "prompt" string.',
    );
  }
}

/** Options of ChatTemplate.render. */
export interface ChatRenderOptions {
  /** Append the assistant header so the model answers next (HF add_generation_prompt). Default true. */
  addGenerationPrompt?: boolean;
  /** The time strftime_now reports (default: now). Tests fix it. */
  now?: Date;
  /** Extra template variables, e.g. {enable_thinking: false} for Qwen3. */
  extra?: Record<string, unknown>;
}

/** A compiled chat template. */
export interface ChatTemplate {
  /** The template text. */
  source: string;
  /** Where it came from, for messages (e.g. "tokenizer_config.json chat_template"). */
  origin: string;
  /** Renders messages to the prompt text (special tokens written as text). */
  render(messages: readonly ChatMessage[], opts?: ChatRenderOptions): string;
}

/** Special-token variables HF passes to templates: tokenizer_config's special_tokens_map. */
export const SPECIAL_TOKEN_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;

function tokenText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'content' in v && typeof v.content === 'string') return v.content;
  return null;
}

/** The special-token variables of a parsed tokenizer_config.json (only those set, as HF does). */
export function specialTokenVars(config: Readonly<Record<string, unknown>> | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (config === null) return out;
  for (const k of SPECIAL_TOKEN_KEYS) {
    const t = tokenText(config[k]);
    if (t !== null) out[k] = t;
  }
  const extra = config.additional_special_tokens;
  if (Array.isArray(extra)) out.additional_special_tokens = extra.map(tokenText).filter((t): t is string => t !== null);
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Python's datetime.strftime in the C locale, for the codes chat templates use; others are kept as written. */
export function strftime(d: Date, format: string): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  return format.replace(/%[a-zA-Z%]/g, (code) => {
    switch (code) {
      case '%Y':
        return String(d.getFullYear());
      case '%y':
        return p2(d.getFullYear() % 100);
      case '%m':
        return p2(d.getMonth() + 1);
      case '%d':
        return p2(d.getDate());
      case '%B':
        return MONTHS[d.getMonth()];
      case '%b':
        return MONTHS[d.getMonth()].slice(0, 3);
      case '%A':
        return DAYS[d.getDay()];
      case '%a':
        return DAYS[d.getDay()].slice(0, 3);
      case '%H':
        return p2(d.getHours());
      case '%I':
        return p2(h12);
      case '%p':
        return d.getHours() < 12 ? 'AM' : 'PM';
      case '%M':
        return p2(d.getMinutes());
      case '%S':
        return p2(d.getSeconds());
      case '%%':
        return '%';
      default:
        return code;
    }
  });
}

/** Thrown by the template's raise_exception(message). */
class TemplateRaised extends Error {}

function range(start: number, stop?: number, step = 1): number[] {
  const [a, b] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = a; step > 0 ? i < b : i > b; i += step) out.push(i);
  return out;
}

/**
 * Compiles a template. `specialTokens` are the variables of specialTokenVars. Throws ChatTemplateSyntaxError.
 */
export function compileChatTemplate(
  source: string,
  origin: string,
  specialTokens: Readonly<Record<string, string | string[]>> = {},
): ChatTemplate {
  let template: Template;
  try {
    template = new Template(source);
  } catch (e) {
    throw new ChatTemplateSyntaxError(origin, e instanceof Error ? e.message : String(e));
  }
  return {
    source,
    origin,
    render(messages, opts = {}) {
      const now = opts.now ?? new Date();
      // The library's own globals, with HF's raise_exception and a locale-independent strftime_now.
      const env = new Environment();
      const vars: Record<string, unknown> = {
        false: false,
        true: true,
        none: null,
        False: false,
        True: true,
        None: null,
        range,
        raise_exception: (msg: unknown) => {
          throw new TemplateRaised(String(msg));
        },
        strftime_now: (fmt: unknown) => strftime(now, String(fmt)),
        ...specialTokens,
        tools: null,
        documents: null,
        ...opts.extra,
        messages,
        add_generation_prompt: opts.addGenerationPrompt ?? true,
      };
      for (const [k, v] of Object.entries(vars)) env.set(k, v);
      let out: unknown;
      try {
        out = new Interpreter(env).run(template.parsed).value;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new ChatTemplateRenderError(origin, e instanceof TemplateRaised ? `raise_exception("${msg}")` : msg);
      }
      if (typeof out !== 'string') throw new ChatTemplateRenderError(origin, `rendering gave ${typeof out}, not text`);
      return out;
    },
  };
}

/**
 * The template text of a tokenizer: a chat_template.jinja file wins (as in transformers), else
 * tokenizer_config.json's "chat_template", either a string or a list of {name, template} (the one named
 * "default"). Returns null when there is none, and a problem description when the field is malformed.
 */
export function pickChatTemplate(
  config: Readonly<Record<string, unknown>> | null,
  jinjaFile?: string,
): { text: string; origin: string } | null | string {
  if (jinjaFile !== undefined) return { text: jinjaFile, origin: 'chat_template.jinja' };
  const t = config?.chat_template;
  if (t === undefined || t === null) return null;
  if (typeof t === 'string') return { text: t, origin: 'tokenizer_config.json "chat_template"' };
  if (!Array.isArray(t)) return `field "chat_template" must be a string or a list of {"name", "template"}, got ${typeof t}`;
  const named = new Map<string, string>();
  for (const [i, e] of t.entries()) {
    if (
      typeof e !== 'object' ||
      e === null ||
      !('name' in e) ||
      !('template' in e) ||
      typeof e.name !== 'string' ||
      typeof e.template !== 'string'
    ) {
      return `chat_template[${i}] must be an object {"name": string, "template": string}`;
    }
    named.set(e.name, e.template);
  }
  const def = named.get('default');
  if (def === undefined)
    return `"chat_template" is a list without a template named "default" (it has ${[...named.keys()].map((n) => `"${n}"`).join(', ') || 'none'})`;
  return { text: def, origin: 'tokenizer_config.json "chat_template" (the one named "default")' };
}
