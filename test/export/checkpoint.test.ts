// Checkpoint export/import round trip: a model's weights written as Hugging Face files, zipped, unzipped,
// read back and loaded give the same log-probabilities, bit for bit (cpu backend, a tiny Llama).
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { initLlama, llamaFromSafetensors, llamaToSafetensors, tokenLogprobs } from '../../src/model';
import { checkpointFiles, readCheckpointFiles, unzipCheckpoint, zipCheckpoint, CheckpointImportError } from '../../src/export/checkpoint';
import { DEFAULT_CONFIG } from '../../src/rl/config';
import { tinyConfig, useBackend } from '../model/helpers';

beforeAll(async () => {
  await useBackend('cpu');
});

test('export → zip → unzip → import gives identical log-probabilities', async () => {
  const model = initLlama(tinyConfig(), 3, 0.3);
  const { safetensors, config } = await llamaToSafetensors(model);
  const tokenizer = '{"model": {"type": "BPE"}}';
  const files = checkpointFiles({ weights: safetensors, modelConfig: config, step: 12, config: DEFAULT_CONFIG }, tokenizer);
  expect(Object.keys(files).sort()).toEqual(['cherry_run.json', 'config.json', 'model.safetensors', 'tokenizer.json']);
  const back = readCheckpointFiles(unzipCheckpoint(zipCheckpoint(files, 'my-run-step12')));
  expect(back.tokenizerJson).toBe(tokenizer);
  expect(back.modelConfig).toEqual(config);
  const loaded = llamaFromSafetensors(back.config, back.safetensors, 'model.safetensors');
  const ids = [
    [1, 5, 7, 9, 2, 4],
    [1, 3, 3, 8, 11, 2],
  ];
  const a = tokenLogprobs(model, ids);
  const b = tokenLogprobs(loaded, ids);
  const [la, lb] = await Promise.all([a.logprobs.array(), b.logprobs.array()]);
  expect(lb).toEqual(la);
  expect(la[0][0]).toBeLessThan(0);
  tf.dispose([a.logprobs, b.logprobs]);
  model.dispose();
  loaded.dispose();
});

test('unzipped files without a shared folder keep their names; missing or damaged files are named', () => {
  expect(Object.keys(unzipCheckpoint(zipCheckpoint({ 'a.txt': strToU8('x') }, 'f')))).toEqual(['a.txt']);
  expect(() => readCheckpointFiles({ 'config.json': strToU8('{}') })).toThrow(/model.safetensors: missing \(found config.json\)/);
  expect(() => readCheckpointFiles({ 'config.json': strToU8('{oops'), 'model.safetensors': new Uint8Array(8) })).toThrow(
    CheckpointImportError,
  );
  expect(() => unzipCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(/is not a readable zip archive/);
});
