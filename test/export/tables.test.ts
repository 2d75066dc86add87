import { test, expect } from 'vitest';
import { csvCell, metricsToCsv, metricsToJson, samplesToJsonl } from '../../src/export/tables';
import type { SampleRecord } from '../../src/rl/events';

test('metrics CSV: step first, columns in first-seen order, nulls and missing metrics empty, quoted headers', () => {
  const csv = metricsToCsv([
    { reward_mean: 0.25, step: 0, kl: null },
    { step: 1, reward_mean: 0.5, kl: 0.001, reward_per_grader: { 'a,b': 1 } },
  ]);
  expect(csv).toBe('step,reward_mean,kl,"reward/a,b"\n' + '0,0.25,,\n' + '1,0.5,0.001,1\n');
  expect(metricsToCsv([])).toBe('step\n');
});

test('csv cells quote commas, quotes and newlines only', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('a\nb')).toBe('"a\nb"');
});

test('metrics JSON keeps the run meta beside the records', () => {
  const json = metricsToJson([{ step: 0, reward_mean: 1 }], { run: 'r1', seed: 3 });
  expect(json).toBe('{\n  "run": "r1",\n  "seed": 3,\n  "metrics": [\n    {\n      "step": 0,\n      "reward_mean": 1\n    }\n  ]\n}\n');
});

test('samples JSONL: one object per line', () => {
  const s: SampleRecord = {
    step: 2,
    group: 0,
    prompt: '1+1=',
    completion: '2',
    reward: 1,
    sub_rewards: {},
    error: null,
    error_kind: null,
    advantage: 0.5,
    length: 2,
    truncated: false,
    trained: true,
  };
  expect(samplesToJsonl([s, { ...s, completion: 'x\ny', reward: null, error: 'boom', error_kind: 'error' }])).toBe(
    '{"step":2,"group":0,"prompt":"1+1=","completion":"2","reward":1,"sub_rewards":{},"error":null,"error_kind":null,"advantage":0.5,"length":2,"truncated":false,"trained":true}\n' +
      '{"step":2,"group":0,"prompt":"1+1=","completion":"x\\ny","reward":null,"sub_rewards":{},"error":"boom","error_kind":"error","advantage":0.5,"length":2,"truncated":false,"trained":true}\n',
  );
  expect(samplesToJsonl([])).toBe('');
});
