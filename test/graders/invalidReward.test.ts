// invalid_reward: "excluded" (Cherry's default: null) or "zero" (OpenAI RFT counts invalid output as 0).
import { test, expect } from 'vitest';
import { tryGrader } from '../../src/graders';
import type { GraderSource } from '../../src/graders/types';

// A missing item field is an error on that sample (a dataset bug), never a silent score.
const spec: GraderSource = {
  kind: 'spec',
  spec: { type: 'string_check', name: 'eq', input: '{{ sample.output_text }}', reference: '{{ item.answer }}', operation: 'eq' },
};
const rows = [
  { sample: '4', item: { answer: '4' } },
  { sample: '4', item: { wrong: '4' } },
];

test('default "excluded": the invalid sample has reward null and its error', async () => {
  const [ok, bad] = await tryGrader(spec, rows);
  expect(ok.reward).toBe(1);
  expect(bad.reward).toBeNull();
  expect(bad.invalid).toBeUndefined();
  expect(bad.error).toMatch(/item has no field "answer"/);
});

test('"zero": the invalid sample scores 0, is marked invalid and keeps its error; valid ones are unchanged', async () => {
  const [ok, bad] = await tryGrader(spec, rows, undefined, { invalidReward: 'zero' });
  expect(ok).toMatchObject({ reward: 1, error: null });
  expect(ok.invalid).toBeUndefined();
  expect(bad).toMatchObject({ reward: 0, invalid: true, error_kind: 'error' });
  expect(bad.error).toMatch(/item has no field "answer"/);
});
