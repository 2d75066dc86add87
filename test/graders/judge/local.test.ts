// A local built-in model as the judge of a score_model grader: the frozen cherry-arith model (public/models)
// reads the rendered prompt and its greedy answer is the score.
import { beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { tryGrader } from '../../../src/graders';
import { LocalModelJudge } from '../../../src/graders/judge/local';
import { loadModelDir } from '../../../src/cli/modelDir';
import type { ScoreModelSpec } from '../../../src/graders/spec';

let judge: LocalModelJudge;
beforeAll(async () => {
  await tf.setBackend('wasm');
  const { model, tokenizer } = await loadModelDir('public/models/cherry-arith');
  if (tokenizer === null) throw new Error('cherry-arith has a tokenizer.json');
  judge = new LocalModelJudge(model, tokenizer, { label: 'local model cherry-arith' });
}, 60_000);

// The judge is asked for "{a}+{b}="; the arithmetic model answers the sum, which the grader reads as a bare number.
const spec: ScoreModelSpec = {
  type: 'score_model',
  name: 'sum judge',
  model: 'cherry-arith',
  range: [0, 300],
  input: [{ role: 'user', content: '{{ item.a }}+{{ item.b }}=' }],
};

test('a local model judges: its answer is read as the score; an unreadable answer is null with the reason', async () => {
  const rs = await tryGrader(
    { kind: 'spec', spec },
    [
      { sample: 'x', item: { a: 12, b: 34 } },
      { sample: 'x', item: { a: 21, b: 43 } },
      { sample: 'x', item: { a: 7, b: 1 } },
    ],
    undefined,
    { judge },
  );
  // 12+34 = 46 and 21+43 = 64 (by hand; sums without a carry, which the built-in model gets right greedily).
  expect(rs.map((r) => r.reward).slice(0, 2)).toEqual([46, 64]);
  // "7+1=" is outside the model's 2-3 digit training range: it answers nothing a score can be read from.
  expect(rs[2].reward).toBeNull();
  expect(rs[2].error).toMatch(/grader 'sum judge': the judge's answer is neither \{"result": <number>, "steps": \[\.\.\.\]\} nor a number/);
});
