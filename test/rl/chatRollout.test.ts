// A rollout of chat items: prompts built by the chat template (one BOS), generation stopped by the
// generation_config.json eos ids as well as the tokenizer's and the model's, and no special token in
// the text the grader sees. A random tiny model on the built-in char vocabulary, whose special tokens
// (<pad> 0, <bos> 1, <eos> 2, <unk> 3) it samples often enough to stop rows.
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { rollout } from '../../src/rl/rollout';
import { buildCherryTokenizer, buildCherryTokenizerConfig, loadTokenizer } from '../../src/tokenizer';
import { chatAnswerTags } from '../../src/tasks';
import { initLlama } from '../../src/model';
import { fnGrader, TINY } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TEMPLATE =
  '{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}';

test('chat items: template prompts with one BOS, stops on generation_config eos ids, specials never in the text', async () => {
  const tok = await loadTokenizer(
    buildCherryTokenizer(),
    'cherry+template',
    { ...buildCherryTokenizerConfig(), chat_template: TEMPLATE },
    { generationConfig: { eos_token_id: [0, 3] } },
  );
  expect(tok.eosIds).toEqual([2, 0, 3]);
  const model = initLlama({ ...TINY, maxPositionEmbeddings: 512 }, 3, 0.02); // room for the chat prompt
  const items = chatAnswerTags.items('train', 4);
  const grader = fnGrader((t) => t.length);
  const r = await rollout(model, tok, grader, items, {
    groupSize: 8,
    maxNewTokens: 40,
    temperature: 1.5,
    topK: 0,
    topP: 1,
    seed: 4,
    step: 0,
  });
  items.forEach((it, i) => {
    const [system, user] = it.messages as { content: string }[]; // test: the generator's item shape
    expect(r.prompts[i * 8]).toEqual([1, ...tok.encode(`[system] ${system.content}\n[user] ${user.content}\n[assistant] `)]);
    expect(r.samples[i * 8].prompt).toBe(it.prompt);
  });
  const stops = new Set([0, 2, 3]);
  let byGenerationConfig = 0;
  r.completions.forEach((ids, k) => {
    const first = ids.findIndex((id) => stops.has(id));
    if (first >= 0) {
      expect(first).toBe(ids.length - 1); // the row ended at its first stop id
      expect(r.samples[k].truncated).toBe(false);
      if (ids[first] !== 2) byGenerationConfig++;
    }
    expect(r.samples[k].completion).toBe(tok.decode(ids));
    expect(r.samples[k].completion).not.toMatch(/<(pad|bos|eos|unk)>/);
  });
  expect(byGenerationConfig).toBeGreaterThan(0);
  model.dispose();
}, 60_000);
