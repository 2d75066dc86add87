// Tokenizers: loading Hugging Face tokenizer.json files, Cherry's built-in char tokenizer, and the
// plain prompt format of the built-in models.
export { loadTokenizer, TokenizerLoadError } from './load';
export type { Tokenizer } from './load';
export {
  buildCherryTokenizer, buildCherryTokenizerConfig, CHERRY_SPECIAL, CHERRY_NEWLINE_ID,
  CHERRY_FIRST_PRINTABLE_ID, CHERRY_VOCAB_SIZE,
} from './cherry';
export { formatMessages, messageText, promptIds, completionIds } from './prompt';
export type { ChatMessage } from './prompt';

import { loadTokenizer } from './load';
import type { Tokenizer } from './load';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from './cherry';

/** The built-in models' tokenizer, loaded through the same path as a tokenizer.json file. */
export function loadCherryTokenizer(): Promise<Tokenizer> {
  return loadTokenizer(buildCherryTokenizer(), 'built-in cherry tokenizer', buildCherryTokenizerConfig());
}
