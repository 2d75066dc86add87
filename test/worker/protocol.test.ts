import { test, expect } from 'vitest';
import { NotImplementedError, REQUEST_KINDS, isTrainRequest, isWorkerMessage, toWireError } from '../../src/worker/protocol';

test('isTrainRequest accepts every known kind with an integer id and nothing else', () => {
  for (const kind of REQUEST_KINDS) expect(isTrainRequest({ kind, id: 3 })).toBe(true);
  expect(isTrainRequest({ kind: 'init', id: 1, backend: 'wasm' })).toBe(true);
  expect(isTrainRequest({ kind: 'init' })).toBe(false); // no id
  expect(isTrainRequest({ kind: 'init', id: 1.5 })).toBe(false);
  expect(isTrainRequest({ kind: 'explode', id: 1 })).toBe(false);
  expect(isTrainRequest([{ kind: 'init', id: 1 }])).toBe(false);
  expect(isTrainRequest(null)).toBe(false);
  expect(isTrainRequest('init')).toBe(false);
});

test('isWorkerMessage checks replies and events', () => {
  expect(isWorkerMessage({ kind: 'reply', id: 1, ok: true, request: 'pause', result: { state: 'paused', step: 2 } })).toBe(true);
  expect(isWorkerMessage({ kind: 'reply', id: 1, ok: false, request: 'pause', error: { name: 'E', message: 'm' } })).toBe(true);
  expect(isWorkerMessage({ kind: 'reply', id: 1, ok: true, request: 'pause' })).toBe(false); // no result
  expect(isWorkerMessage({ kind: 'reply', id: 1, ok: false, request: 'pause' })).toBe(false); // no error
  expect(isWorkerMessage({ kind: 'reply', id: 1, ok: true, request: 'fly', result: 1 })).toBe(false);
  expect(isWorkerMessage({ kind: 'reply', ok: true, request: 'pause', result: 1 })).toBe(false);
  for (const kind of ['progress', 'metrics', 'samples', 'status', 'error']) expect(isWorkerMessage({ kind })).toBe(true);
  expect(isWorkerMessage({ kind: 'log' })).toBe(false);
});

test('errors cross the boundary as name + message', () => {
  expect(toWireError(new NotImplementedError('start'))).toEqual({
    name: 'NotImplementedError',
    message:
      "The train worker cannot handle 'start' yet: this part of the engine is not built. Use the controls that are enabled, or update Cherry.",
  });
  expect(toWireError('boom')).toEqual({ name: 'Error', message: 'boom' });
});
