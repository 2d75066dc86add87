import { test, expect } from 'vitest';
import { loadJsonlDataset } from '../../src/data';
import { datasetTask, TaskItemError } from '../../src/tasks';
import { loadGrader } from '../../src/graders';
import { makeSample } from '../../src/graders/types';

const text = [
  '{"prompt": "2+2=", "reference_answer": "4"}',
  '{"messages": [{"role": "user", "content": "capital of France?"}, {"role": "assistant", "content": "Paris"}]}',
  '{"prompt": "no label"}',
  ...Array.from({ length: 40 }, (_, i) => JSON.stringify({ prompt: `${i}+1=`, reference_answer: String(i + 1) })),
].join('\n');

test('a JSONL dataset behaves as a task: splits, labels, default exact grader', async () => {
  const ds = await loadJsonlDataset(text, { source: 'mine.jsonl', validationFraction: 0.3, seed: 1 });
  const t = datasetTask(ds, { name: 'mine.jsonl' });
  expect(t.items('train', 1000)).toEqual(ds.train);
  expect(t.items('test', 1000)).toEqual(ds.validation);
  expect(t.items('validation', 2)).toEqual(ds.validation.slice(0, 2));
  const all = [...ds.train, ...ds.validation];
  const byPrompt = (p: string) => all.find((i) => i.prompt === p) ?? {};
  expect(t.sftTarget(byPrompt('2+2='))).toBe('4');
  expect(t.sftTarget(byPrompt('capital of France?'))).toBe('Paris'); // the answer is not in the prompt
  expect(() => t.sftTarget(byPrompt('no label'))).toThrow(TaskItemError);
  expect(t.explanation).toContain('mine.jsonl: 43 of 43 rows accepted');

  const g = await loadGrader(t.defaultGrader);
  try {
    const item = byPrompt('2+2=');
    const r = await g.gradeBatch([
      { sample: makeSample('4', 2), item },
      { sample: makeSample('5', 2), item },
    ]);
    expect(r.map((x) => x.reward)).toEqual([1, 0]);
  } finally {
    g.dispose();
  }
});
