// Tokenizers: loading Hugging Face tokenizer.json files, Cherry's built-in char tokenizer, the plain
// prompt format of the built-in models, and chat templates (the model's own, rendered as transformers does).
export { loadTokenizer, TokenizerLoadError } from './load';
export type { Tokenizer, TokenizerExtras } from './load';
export {
  buildCherryTokenizer,
  buildCherryTokenizerConfig,
  CHERRY_SPECIAL,
  CHERRY_NEWLINE_ID,
  CHERRY_FIRST_PRINTABLE_ID,
  CHERRY_VOCAB_SIZE,
} from './cherry';
export {
  formatMessages,
  messageText,
  promptIds,
  completionIds,
  promptMessages,
  chatPromptIds,
  itemPromptIds,
  stopIds,
  PromptInputError,
} from './prompt';
export {
  compileChatTemplate,
  pickChatTemplate,
  specialTokenVars,
  strftime,
  ChatTemplateSyntaxError,
  ChatTemplateRenderError,
  ChatTemplateMissingError,
} from './chat';
export type { ChatTemplate, ChatRenderOptions } from './chat';
export { checkMessages, CHAT_ROLES } from './messages';
export type { ChatMessage } from './prompt';

import { loadTokenizer } from './load';
import type { Tokenizer } from './load';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from './cherry';
import { parseJsonText, JsonParseError } from '../util/jsonError';
import { TokenizerLoadError, type TokenizerExtras } from './load';

/**
 * Loads a tokenizer from the text of tokenizer.json (and of tokenizer_config.json when there is one).
 * Invalid JSON gives a TokenizerLoadError naming the file, the line and the column.
 */
export async function loadTokenizerText(
  text: string,
  source: string,
  configText?: string,
  configSource = 'tokenizer_config.json',
  extras: TokenizerExtras = {},
): Promise<Tokenizer> {
  const parse = (t: string, src: string): unknown => {
    try {
      return parseJsonText(t, src);
    } catch (e) {
      if (e instanceof JsonParseError)
        throw new TokenizerLoadError(src, `invalid JSON at line ${e.problem.line}, column ${e.problem.column}: ${e.problem.message}`);
      throw e;
    }
  };
  return loadTokenizer(parse(text, source), source, configText === undefined ? undefined : parse(configText, configSource), extras);
}

/** The built-in models' tokenizer, loaded through the same path as a tokenizer.json file. */
export function loadCherryTokenizer(): Promise<Tokenizer> {
  return loadTokenizer(buildCherryTokenizer(), 'built-in cherry tokenizer', buildCherryTokenizerConfig());
}
