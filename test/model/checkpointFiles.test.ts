// loadCheckpoint: config.json is read and checked before any weight file; sharded indexes are checked
// against their shards; unexpected tensor names are reported; GPT-2 keys load with or without the
// `transformer.` prefix, and its causal-mask buffers are ignored.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { llamaFromSafetensors, parseSafetensors, serializeSafetensors, UnexpectedTensorError, type NamedTensor } from '../../src/model';
import { CheckpointError, loadCheckpoint, type CheckpointFiles } from '../../src/model/checkpointFiles';
import { folderFiles } from '../../src/cli/modelDir';
import { TINY_MODELS, writeTinyModel } from '../../scripts/fixtures/tinyModels';
import { useBackend } from './helpers';

let out = '';
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'cherry-cp-'));
  for (const name of ['llama-sharded-bf16', 'gpt2-f32'])
    writeTinyModel(
      TINY_MODELS.find((m) => m.name === name)!,
      join(out, name),
    );
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** In-memory files that record which ones were read. */
function memFiles(files: Record<string, Uint8Array | string>): CheckpointFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (name) => {
      reads.push(name);
      const f = files[name];
      return f === undefined ? null : typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

/** The files of a folder as a plain record. */
function filesOf(dir: string, names: string[]): Record<string, Uint8Array> {
  return Object.fromEntries(names.map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))]));
}

const SHARDS = ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'];

test('an unsupported architecture is refused from config.json alone: no weight file is read', async () => {
  const f = memFiles({
    'config.json': JSON.stringify({ architectures: ['MambaForCausalLM'], model_type: 'mamba' }),
    'model.safetensors': new Uint8Array(8),
  });
  await expect(loadCheckpoint(f, 'hub/x/')).rejects.toThrow(
    /hub\/x\/config\.json: field "architectures" is "MambaForCausalLM" \(model_type "mamba"\), which Cherry cannot run; supported: LlamaForCausalLM/,
  );
  expect(f.reads).toEqual(['config.json']);
  await expect(loadCheckpoint(memFiles({}), 'd/')).rejects.toThrow(/d\/config\.json: is missing/);
  await expect(loadCheckpoint(memFiles({ 'config.json': '{"architectures": [' }), 'd/')).rejects.toThrow(CheckpointError);
});

test('a sharded BF16 checkpoint loads from its index; a missing shard, a stray tensor or an unlisted tensor is named', async () => {
  const dir = join(out, 'llama-sharded-bf16');
  const base = filesOf(dir, ['config.json', 'model.safetensors.index.json', ...SHARDS]);
  const cp = await loadCheckpoint(memFiles(base), 'm/');
  expect(cp.config.architecture).toBe('LlamaForCausalLM');
  expect(cp.tensors.size).toBe(Object.keys(JSON.parse(new TextDecoder().decode(base['model.safetensors.index.json'])).weight_map).length);
  expect(cp.tensors.get('model.norm.weight')!.data.length).toBe(64);

  const { [SHARDS[1]]: _gone, ...missing } = base;
  void _gone;
  await expect(loadCheckpoint(memFiles(missing), 'm/')).rejects.toThrow(
    /m\/model-00002-of-00003\.safetensors: is missing \(model\.safetensors\.index\.json lists it\)/,
  );

  const index = JSON.parse(new TextDecoder().decode(base['model.safetensors.index.json'])) as { weight_map: Record<string, string> };
  const moved = { ...index.weight_map, 'model.norm.weight': SHARDS[0] === index.weight_map['model.norm.weight'] ? SHARDS[1] : SHARDS[0] };
  await expect(
    loadCheckpoint(memFiles({ ...base, 'model.safetensors.index.json': JSON.stringify({ weight_map: moved }) }), 'm/'),
  ).rejects.toThrow(/holds tensor "model\.norm\.weight" but model\.safetensors\.index\.json puts it in model-0000\d-of-00003\.safetensors/);
  const extra = { ...index.weight_map, 'model.layers.9.mlp.up_proj.weight': SHARDS[2] };
  await expect(
    loadCheckpoint(memFiles({ ...base, 'model.safetensors.index.json': JSON.stringify({ weight_map: extra }) }), 'm/'),
  ).rejects.toThrow(
    /m\/model\.safetensors\.index\.json: lists 1 tensor\(s\) no shard holds, e.g\. "model\.layers\.9\.mlp\.up_proj\.weight"/,
  );
  await expect(loadCheckpoint(memFiles({ ...base, 'model.safetensors.index.json': '{"metadata": {}}' }), 'm/')).rejects.toThrow(
    /has no "weight_map" object/,
  );
});

test('tensors the config does not describe are an error naming them; known buffers are not', async () => {
  await useBackend('cpu');
  const cp = await loadCheckpoint(folderFiles(join(out, 'llama-sharded-bf16')), 'm/');
  const more = new Map<string, NamedTensor>(cp.tensors);
  more.set('model.layers.0.self_attn.rotary_emb.inv_freq', { shape: [8], data: new Float32Array(8) });
  const ok = llamaFromSafetensors(cp.config, more, 'm/model.safetensors');
  ok.dispose();
  more.set('model.layers.2.mlp.up_proj.weight', { shape: [96, 64], data: new Float32Array(96 * 64) });
  more.set('model.extra', { shape: [1], data: new Float32Array(1) });
  const before = tf.memory().numTensors;
  expect(() => llamaFromSafetensors(cp.config, more, 'm/model.safetensors')).toThrow(UnexpectedTensorError);
  expect(() => llamaFromSafetensors(cp.config, more, 'm/model.safetensors')).toThrow(
    /m\/model\.safetensors: 2 tensor\(s\) that config\.json does not describe: "model\.layers\.2\.mlp\.up_proj\.weight", "model\.extra"; check that config\.json/,
  );
  expect(tf.memory().numTensors).toBe(before);
});

test('GPT-2 loads the Hub layout (no transformer. prefix, attn.bias/masked_bias buffers) and the prefixed one to the same weights', async () => {
  await useBackend('cpu');
  const cp = await loadCheckpoint(folderFiles(join(out, 'gpt2-f32')), 'g/');
  expect(cp.tensors.has('h.0.attn.bias')).toBe(true);
  expect(cp.tensors.has('wte.weight')).toBe(true);
  const a = llamaFromSafetensors(cp.config, cp.tensors, 'g/model.safetensors');
  const prefixed = new Map(
    [...cp.tensors].filter(([n]) => !/\.attn\.(masked_)?bias$/.test(n)).map(([n, t]) => [`transformer.${n}`, t] as const),
  );
  const b = llamaFromSafetensors(cp.config, parseSafetensors(serializeSafetensors(prefixed), 'p'), 'p');
  expect([...a.params.keys()]).toEqual([...b.params.keys()]);
  expect(a.params.get('transformer.h.1.attn.c_attn.weight')!.shape).toEqual([32, 96]); // Conv1D [in, out]
  expect(a.paramCount()).toBe(b.paramCount());
  const la = a.forward([[50256, 15496, 995]]);
  const lb = b.forward([[50256, 15496, 995]]);
  expect(Array.from(la.dataSync())).toEqual(Array.from(lb.dataSync()));
  tf.dispose([la, lb]);
  a.dispose();
  b.dispose();
});
