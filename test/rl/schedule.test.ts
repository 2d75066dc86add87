import { test, expect } from 'vitest';
import { lrAt, warmupSteps, scheduleFromConfig, type ScheduleConfig } from '../../src/rl/schedule';
import { resolveConfig } from '../../src/rl/config';

const base = (type: ScheduleConfig['type']): ScheduleConfig => ({ learningRate: 1e-3, type, warmupSteps: 2, totalSteps: 10 });

test('warm-up is linear from 0 over ceil(ratio × total) steps', () => {
  expect(warmupSteps(0.2, 10)).toBe(2);
  expect(warmupSteps(0.25, 10)).toBe(3); // ceil(2.5)
  expect(warmupSteps(0, 10)).toBe(0);
  // step 0 → 0; step 1 → 1e-3 · 1/2
  for (const t of ['constant', 'linear', 'cosine'] as const) {
    expect(lrAt(0, base(t))).toBe(0);
    expect(lrAt(1, base(t))).toBeCloseTo(5e-4, 12);
  }
});

test('constant after warm-up', () => {
  expect(lrAt(2, base('constant'))).toBe(1e-3);
  expect(lrAt(9, base('constant'))).toBe(1e-3);
});

test('linear decay: progress = (step − 2)/8', () => {
  expect(lrAt(2, base('linear'))).toBeCloseTo(1e-3, 12); // progress 0
  expect(lrAt(6, base('linear'))).toBeCloseTo(5e-4, 12); // 1 − 4/8
  expect(lrAt(9, base('linear'))).toBeCloseTo(1.25e-4, 12); // 1 − 7/8
  expect(lrAt(10, base('linear'))).toBe(0);
  expect(lrAt(12, base('linear'))).toBe(0); // never negative
});

test('cosine decay: ½(1 + cos(π · progress))', () => {
  expect(lrAt(2, base('cosine'))).toBeCloseTo(1e-3, 12);
  expect(lrAt(4, base('cosine'))).toBeCloseTo(8.5355339e-4, 10); // progress ¼: ½(1 + 0.7071068)
  expect(lrAt(6, base('cosine'))).toBeCloseTo(5e-4, 12); // progress ½: ½(1 + 0)
  expect(lrAt(10, base('cosine'))).toBeCloseTo(0, 12);
});

test('no warm-up: the first update already has the full rate', () => {
  const s = scheduleFromConfig(resolveConfig({ learning_rate: 3e-4, max_steps: 20 }));
  expect(s).toEqual({ learningRate: 3e-4, type: 'constant', warmupSteps: 0, totalSteps: 20 });
  expect(lrAt(0, s)).toBe(3e-4);
});
