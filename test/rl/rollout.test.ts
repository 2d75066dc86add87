// A rollout: B prompts × G samples in one generate call and one gradeBatch call, records that match
// the generated ids (text, length, truncation), group numbering continued across refill rounds.
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { rollout, RolloutInputError } from '../../src/rl/rollout';
import { charTokenizer, fnGrader, tinyModel, toyTask } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('B·G rows graded in one call; records agree with the ids; groups numbered from firstGroup', async () => {
  const tok = await charTokenizer();
  const model = tinyModel(5);
  const grader = fnGrader((t) => t.length);
  const items = toyTask().items('train', 3);
  const n0 = tf.memory().numTensors;
  const r = await rollout(model, tok, grader, items, {
    groupSize: 4,
    maxNewTokens: 3,
    temperature: 1,
    topK: 0,
    topP: 1,
    seed: 9,
    step: 7,
    firstGroup: 2,
  });
  expect(tf.memory().numTensors).toBe(n0);
  expect(grader.calls).toEqual([12]);
  expect(r.prompts).toHaveLength(12);
  // "p1:" in the char tokenizer is <bos> then one id per character
  expect(r.prompts[4]).toEqual([1, ...tok.encode('p1:')]);
  expect(r.prompts[4]).toHaveLength(4);
  r.samples.forEach((s, i) => {
    const ids = r.completions[i];
    expect(s.group).toBe(2 + Math.floor(i / 4));
    expect(s.step).toBe(7);
    expect(s.prompt).toBe(`p${Math.floor(i / 4)}:`);
    expect(s.completion).toBe(tok.decode(ids));
    expect(s.length).toBe(ids.length);
    // truncated exactly when the row used its whole budget without ending in EOS (id 2)
    expect(s.truncated).toBe(ids.length === 3 && ids[2] !== 2);
    expect(s.reward).toBe(s.completion.length);
    expect(s.advantage).toBe(0);
  });
  expect(r.generated_tokens).toBe(r.completions.reduce((a, c) => a + c.length, 0));
  // the same seed repeats the rollout; another seed gives other completions
  const again = await rollout(model, tok, grader, items, {
    groupSize: 4,
    maxNewTokens: 3,
    temperature: 1,
    topK: 0,
    topP: 1,
    seed: 9,
    step: 7,
  });
  expect(again.completions).toEqual(r.completions);
  const other = await rollout(model, tok, grader, items, {
    groupSize: 4,
    maxNewTokens: 3,
    temperature: 1,
    topK: 0,
    topP: 1,
    seed: 10,
    step: 7,
  });
  expect(other.completions).not.toEqual(r.completions);
  model.dispose();
});

test('an item without a prompt string is named in the error', async () => {
  const model = tinyModel(5);
  await expect(
    rollout(
      model,
      await charTokenizer(),
      fnGrader(() => 0),
      [{ prompt: 'a' }, { question: 'b' }],
      { groupSize: 2, maxNewTokens: 1, temperature: 1, topK: 0, topP: 1, seed: 0, step: 0 },
    ),
  ).rejects.toThrow(RolloutInputError);
  model.dispose();
});
