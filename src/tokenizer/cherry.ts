// The tokenizer of Cherry's built-in models: one token per character, written as a Hugging Face
// tokenizer.json (a BPE model with a character vocabulary and no merges, and a Fuse decoder) so it
// loads through exactly the same path as a real model's tokenizer.
//
// Id layout (vocabSize 100):
//   0 <pad>   1 <bos>   2 <eos>   3 <unk>   4 "\n"   5..99 printable ASCII " " (32) .. "~" (126)
// so a printable character c has id c.charCodeAt(0) - 27 ("0" = 21, "+" = 16, "=" = 34, "a" = 70).
// Any other character (tab, accents, emoji) encodes to <unk> and decodes to nothing.
// Character-level keeps the built-in tasks (digits, expressions, short JSON, word lists) learnable
// by 0.2–3M-parameter models with no out-of-vocabulary surprises.

/** Ids of the special tokens of the built-in tokenizer. */
export const CHERRY_SPECIAL = { pad: 0, bos: 1, eos: 2, unk: 3 } as const;
/** Id of "\n". */
export const CHERRY_NEWLINE_ID = 4;
/** Id of the first printable character (" ", code 32); "~" (126) is the last, at 99. */
export const CHERRY_FIRST_PRINTABLE_ID = 5;
/** Number of ids of the built-in tokenizer. */
export const CHERRY_VOCAB_SIZE = 100;

interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** The tokenizer.json object of the built-in models (write it with JSON.stringify). */
export function buildCherryTokenizer(): Record<string, unknown> {
  const names: [string, number][] = [
    ['<pad>', CHERRY_SPECIAL.pad],
    ['<bos>', CHERRY_SPECIAL.bos],
    ['<eos>', CHERRY_SPECIAL.eos],
    ['<unk>', CHERRY_SPECIAL.unk],
  ];
  const vocab: Record<string, number> = {};
  for (const [name, id] of names) vocab[name] = id;
  vocab['\n'] = CHERRY_NEWLINE_ID;
  for (let c = 32; c <= 126; c++) vocab[String.fromCharCode(c)] = c - 32 + CHERRY_FIRST_PRINTABLE_ID;
  const added: AddedTokenJson[] = names.map(([content, id]) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    // Without a decoder, HF joins tokens with spaces; Fuse concatenates them as they are.
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/** The matching tokenizer_config.json (names the special tokens; no chat template). */
export function buildCherryTokenizerConfig(): Record<string, unknown> {
  return {
    bos_token: '<bos>',
    eos_token: '<eos>',
    pad_token: '<pad>',
    unk_token: '<unk>',
    clean_up_tokenization_spaces: false,
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
}
