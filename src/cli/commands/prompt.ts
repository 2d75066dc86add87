// `cherry prompt`: the prompt a chat model sees for some messages — the model's chat template rendered
// with the generation prompt, and its token ids. Needs only the folder's tokenizer files.
import { bool, str, UsageError, type Args } from '../args';
import { loadTokenizerDir } from '../tokenizerDir';
import { chatPromptIds, checkMessages } from '../../tokenizer';

export const help = 'the chat-template prompt of some messages: --model DIR --messages \'[{"role":"user","content":"Hi"}]\' [--json]';

export async function run(args: Args): Promise<void> {
  const dir = str(args, 'model');
  if (dir === undefined) throw new UsageError('--model <folder> is required (a folder with tokenizer.json and tokenizer_config.json)');
  const raw = str(args, 'messages');
  if (raw === undefined) throw new UsageError('--messages is required: a JSON list such as \'[{"role": "user", "content": "Hi"}]\'');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(
      `--messages is not valid JSON (${e instanceof Error ? e.message : String(e)}); give a list such as '[{"role": "user", "content": "Hi"}]'`,
    );
  }
  const messages = checkMessages(parsed);
  if (typeof messages === 'string') throw new UsageError(`--messages: ${messages}`);
  const tok = await loadTokenizerDir(dir);
  const { text, ids } = chatPromptIds(tok, messages);
  if (bool(args, 'json')) console.log(JSON.stringify({ text, ids }));
  else console.log(`${text}\n\nids (${ids.length}): ${ids.join(' ')}`);
}
