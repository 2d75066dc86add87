import { test, expect } from 'vitest';
import { backendFromSearch, withBackend } from '../../src/ui/urlState';
import { tryLines, tryRequests } from '../../src/ui/tryInputs';

test('?backend= is read when it names a backend, else auto', () => {
  expect(backendFromSearch('?backend=wasm')).toBe('wasm');
  expect(backendFromSearch('?x=1&backend=webgpu')).toBe('webgpu');
  expect(backendFromSearch('')).toBe('auto');
  expect(backendFromSearch('?backend=tpu')).toBe('auto');
});

test('withBackend keeps other parameters and the hash; auto removes the parameter', () => {
  expect(withBackend('http://h/p?x=1#s=2', 'cpu')).toBe('http://h/p?x=1&backend=cpu#s=2');
  expect(withBackend('http://h/p?backend=cpu&x=1', 'auto')).toBe('http://h/p?x=1');
});

test('try-it outputs: one request per non-empty line against the same reference', () => {
  expect(tryLines('42\n\n  \n{"a": 1}\n')).toEqual(['42', '{"a": 1}']);
  const reqs = tryRequests('42\n{"a": 1}', '42');
  expect(reqs).toHaveLength(2);
  expect(reqs[0]).toEqual({ sample: { output_text: '42', output_json: null, output_tokens: 2, finish_reason: 'stop' }, item: { reference_answer: '42' } });
  expect(reqs[1].sample.output_json).toEqual({ a: 1 });
});
