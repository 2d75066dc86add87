import { test, expect } from 'vitest';
import { backendFromSearch, withBackend } from '../../src/ui/state';
import { problemsFrom, tryLines } from '../../src/ui/grader/tryInputs';

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

test('try-it outputs: one output per non-empty line', () => {
  expect(tryLines('42\n\n  \n{"a": 1}\n')).toEqual(['42', '{"a": 1}']);
});

test('problems: one per line named in the errors, first message wins, sorted by line', () => {
  expect(problemsFrom(null)).toEqual([]);
  expect(problemsFrom({ error: "grader 'g': syntax error at line 2, column 12: Unexpected token" })).toEqual([
    { line: 2, column: 12, message: "grader 'g': syntax error at line 2, column 12: Unexpected token" },
  ]);
  const results = [
    { error: "grader 'g' threw on sample 0 at line 5, column 9: Error: boom" },
    { error: null },
    { error: "grader 'g' threw on sample 2 at line 5, column 9: Error: boom" },
    { error: "grader 'g' threw on sample 3 at line 3, column 1: TypeError: x" },
    { error: 'timed out after 1000 ms' }, // no location: not a problem in the source
  ];
  expect(problemsFrom({ results }).map((p) => [p.line, p.column])).toEqual([
    [3, 1],
    [5, 9],
  ]);
  expect(problemsFrom({ results })[1].message).toMatch(/sample 0/);
});

test('a link sets task, overrides, grader and control options on the page; the page writes them back', async () => {
  const { createStore, initialState } = await import('../../src/ui/store');
  const { applyShareHash, shareHash } = await import('../../src/ui/state');
  const { decodeState } = await import('../../src/export/urlState');
  const store = createStore(initialState('auto'));
  const hash = 'task=reverse-words&seed=7&learning_rate=0.0003&hide=beta,epsilon_high&lock=seed';
  const applied = applyShareHash(`#${hash}`, store.dispatch);
  expect(applied).toEqual({ grader: false, errors: [] });
  const s = store.getState();
  expect(s.task).toBe('reverse-words');
  expect(s.run.config).toEqual({ algo: 'grpo', seed: 7, learning_rate: 0.0003 });
  expect(s.controls).toEqual({ hide: ['beta', 'epsilon_high'], lock: ['seed'] });
  const back = decodeState(shareHash(s)).state;
  expect([back.task, back.config.seed, back.config.learning_rate, back.controls]).toEqual([
    'reverse-words',
    7,
    0.0003,
    { hide: ['beta', 'epsilon_high'], lock: ['seed'] },
  ]);
  expect(new URLSearchParams(shareHash(initialState('auto'))).has('hide')).toBe(false); // nothing hidden: no field
  expect(applyShareHash('#seed=3', store.dispatch)).toBeNull(); // no task: not a setup link
});
