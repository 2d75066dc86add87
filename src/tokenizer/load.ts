// Loads a Hugging Face `tokenizer.json` (optionally with its `tokenizer_config.json`) through
// @huggingface/tokenizers, the same path for Cherry's built-in char tokenizer and for real models.
// Chosen because it is the Hub's own pure-JS implementation (no wasm, no network), runs in Node and
// in a Web Worker, and reads the tokenizer.json format exactly as the Rust `tokenizers` crate writes it.
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { compileChatTemplate, pickChatTemplate, specialTokenVars, type ChatTemplate } from './chat';

/** What the model, the sampler and the RL engine need from a tokenizer. */
export interface Tokenizer {
  /** Text to ids. Adds no special tokens (no BOS: see `promptIds` in ./prompt); special-token text in the input ("<eos>") becomes that token, as in Hugging Face. */
  encode(text: string): number[];
  /**
   * Ids to text. Special tokens (<bos>, <eos>, <pad>...) are dropped unless `keepSpecial` is true.
   * An empty list gives ''. Ids outside the vocabulary (a model whose embedding table is padded past
   * vocabSize can sample them) decode to nothing.
   */
  decode(ids: number[], opts?: { keepSpecial?: boolean }): string;
  /** One more than the largest id (model vocab and added tokens): the embedding table's row count. */
  vocabSize: number;
  /** Beginning-of-sequence id, or null when the tokenizer has none. */
  bosId: number | null;
  /**
   * Ids that end a completion: tokenizer_config's eos_token first (the end-of-turn token of a chat model,
   * used after SFT labels), then the other eos and end-of-turn tokens such as <|im_end|> and <|eot_id|>
   * and generation_config.json's eos_token_id, ascending.
   */
  eosIds: number[];
  /** Padding id, or null when the tokenizer has none (callers then pad with any id under a mask). */
  padId: number | null;
  /** Id of a token string (special tokens included), or null if it is not in the vocabulary. */
  tokenToId(token: string): number | null;
  /** The model's chat template, or null (Cherry's built-in models and base models have none). */
  chatTemplate: ChatTemplate | null;
  /** The tokenizer.json it was loaded from, for messages. */
  source: string;
}

/** Files that come with a tokenizer.json besides tokenizer_config.json. */
export interface TokenizerExtras {
  /** Text of a chat_template.jinja file (wins over tokenizer_config.json's chat_template, as in transformers). */
  chatTemplate?: string;
  /** Parsed generation_config.json: its eos_token_id (one id or a list) also ends completions. */
  generationConfig?: unknown;
}

/** A tokenizer.json (or its config) that cannot be loaded: says which file and what is wrong. */
export class TokenizerLoadError extends Error {
  override name = 'TokenizerLoadError';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(
      `Cannot load tokenizer '${source}': ${problem}. Use a tokenizer.json saved by Hugging Face ` +
        '`tokenizers` (tokenizer.save) or by Cherry (buildCherryTokenizer).',
    );
  }
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'string' ? `the string "${x.slice(0, 40)}"` : `a ${typeof x}`;
}

/** Structural checks with messages that name the field, before the library's terser ones. */
function validate(json: unknown, source: string): Json {
  if (!isObject(json)) throw new TokenizerLoadError(source, `expected a JSON object at the top level, got ${describe(json)}`);
  const model = json.model;
  if (!isObject(model)) throw new TokenizerLoadError(source, `field "model" must be an object, got ${describe(model)}`);
  if (typeof model.type !== 'string') {
    throw new TokenizerLoadError(
      source,
      `field "model.type" must be a string such as "BPE", "WordPiece" or "Unigram", got ${describe(model.type)}`,
    );
  }
  if (!['BPE', 'WordPiece', 'Unigram'].includes(model.type)) {
    throw new TokenizerLoadError(source, `field "model.type" is "${model.type}"; supported: "BPE", "WordPiece", "Unigram"`);
  }
  if (model.type === 'BPE' || model.type === 'WordPiece') {
    if (!isObject(model.vocab))
      throw new TokenizerLoadError(
        source,
        `field "model.vocab" must be an object mapping token strings to ids, got ${describe(model.vocab)}`,
      );
    for (const [tok, id] of Object.entries(model.vocab)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
        throw new TokenizerLoadError(
          source,
          `field "model.vocab" maps "${tok}" to ${JSON.stringify(id)}; ids must be non-negative integers`,
        );
      }
    }
  }
  if (model.type === 'BPE' && model.merges !== undefined && !Array.isArray(model.merges)) {
    throw new TokenizerLoadError(source, `field "model.merges" must be a list, got ${describe(model.merges)}`);
  }
  if (json.added_tokens !== undefined && json.added_tokens !== null) {
    if (!Array.isArray(json.added_tokens))
      throw new TokenizerLoadError(source, `field "added_tokens" must be a list, got ${describe(json.added_tokens)}`);
    json.added_tokens.forEach((t: unknown, i: number) => {
      if (!isObject(t) || typeof t.content !== 'string' || !Number.isInteger(t.id)) {
        throw new TokenizerLoadError(source, `added_tokens[${i}] must be an object with an integer "id" and a string "content"`);
      }
    });
  }
  return json;
}

/** A token named in tokenizer_config.json: either a string or an AddedToken-like {content}. */
function configToken(config: Json | null, key: string): string | null {
  const v = config?.[key];
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.content === 'string') return v.content;
  return null;
}

/** The eos_token_id of a parsed generation_config.json (absent, one id or a list). */
function generationEosIds(gen: unknown, source: string): number[] {
  if (gen === undefined || gen === null) return [];
  if (!isObject(gen)) throw new TokenizerLoadError(source, `generation_config.json must be a JSON object, got ${describe(gen)}`);
  const v = gen.eos_token_id;
  if (v === undefined || v === null) return [];
  const ids = Array.isArray(v) ? v : [v];
  for (const id of ids) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TokenizerLoadError(
        source,
        `generation_config.json "eos_token_id" must be a non-negative integer or a list of them, got ${JSON.stringify(v)}`,
      );
    }
  }
  return ids.filter((id): id is number => typeof id === 'number');
}

const BOS_NAMES = ['<bos>', '<s>', '<|begin_of_text|>', '<|startoftext|>'];
const EOS_NAMES = ['<eos>', '</s>', '<|endoftext|>', '<|end_of_text|>', '<|im_end|>', '<|eot_id|>', '<end_of_turn>'];
const PAD_NAMES = ['<pad>', '[PAD]', '<|pad|>', '<|finetune_right_pad_id|>'];

/**
 * Loads a tokenizer from a parsed tokenizer.json. `source` names the file in error messages.
 * `config` is the parsed tokenizer_config.json when there is one: its bos_token / eos_token /
 * pad_token win over the names guessed from the added tokens, and its chat_template is compiled (a
 * template that does not parse is a ChatTemplateSyntaxError now, not at the first prompt).
 */
export async function loadTokenizer(json: unknown, source: string, config?: unknown, extras: TokenizerExtras = {}): Promise<Tokenizer> {
  const tj = validate(json, source);
  const cfg = config === undefined || config === null ? null : config;
  if (cfg !== null && !isObject(cfg))
    throw new TokenizerLoadError(source, `tokenizer_config.json must be a JSON object, got ${describe(cfg)}`);
  const cleanUp = cfg?.clean_up_tokenization_spaces === true;
  let hf: HfTokenizer;
  try {
    // The library requires these keys to exist (null is allowed); files from older savers omit some.
    const filled = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...tj };
    hf = new HfTokenizer(filled, { ...(cfg ?? {}), clean_up_tokenization_spaces: cleanUp });
  } catch (e) {
    throw new TokenizerLoadError(source, e instanceof Error ? e.message : String(e));
  }

  const lookup = (tok: string | null): number | null => {
    if (tok === null) return null;
    const id = hf.token_to_id(tok);
    return id === undefined ? null : id;
  };
  // Names are guessed among the added tokens only: real vocabularies also hold "<s>" or "</s>" as plain
  // text pieces (Qwen2.5 has both), which must not become BOS or stop ids.
  const added = new Map<string, number>();
  if (Array.isArray(tj.added_tokens)) {
    for (const t of tj.added_tokens)
      if (isObject(t) && typeof t.content === 'string' && typeof t.id === 'number') added.set(t.content, t.id);
  }
  const firstOf = (names: string[]): number | null => {
    for (const n of names) {
      const id = added.get(n);
      if (id !== undefined) return id;
    }
    return null;
  };
  // A config that names the token (even as null, e.g. Qwen's "bos_token": null) decides; otherwise guess.
  const named = (key: string, names: string[]): number | null =>
    cfg !== null && key in cfg ? lookup(configToken(cfg, key)) : firstOf(names);

  const bosId = named('bos_token', BOS_NAMES);
  const eos = new Set<number>();
  for (const n of EOS_NAMES) {
    const id = added.get(n);
    if (id !== undefined) eos.add(id);
  }
  for (const id of generationEosIds(extras.generationConfig, source)) eos.add(id);
  const cfgEos = lookup(configToken(cfg, 'eos_token'));
  if (cfgEos !== null) eos.delete(cfgEos);
  const eosIds = [...(cfgEos === null ? [] : [cfgEos]), ...[...eos].sort((a, b) => a - b)];
  const padId = named('pad_token', PAD_NAMES);

  let maxId = -1;
  for (const id of hf.get_vocab(true).values()) if (id > maxId) maxId = id;
  if (maxId < 0) throw new TokenizerLoadError(source, 'the vocabulary is empty');

  const picked = pickChatTemplate(cfg, extras.chatTemplate);
  if (typeof picked === 'string') throw new TokenizerLoadError(source, `tokenizer_config.json: ${picked}`);
  const chatTemplate = picked === null ? null : compileChatTemplate(picked.text, picked.origin, specialTokenVars(cfg));

  return {
    encode: (text) => (text === '' ? [] : hf.encode(text, { add_special_tokens: false }).ids),
    decode: (ids, opts) =>
      ids.length === 0 ? '' : hf.decode(ids, { skip_special_tokens: !(opts?.keepSpecial ?? false), clean_up_tokenization_spaces: cleanUp }),
    vocabSize: maxId + 1,
    bosId,
    eosIds,
    padId,
    tokenToId: lookup,
    chatTemplate,
    source,
  };
}
