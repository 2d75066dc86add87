// HF config.json mapping, and weights ⇄ safetensors with shape checks.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, llamaFromSafetensors, llamaToSafetensors, parseHFConfig, parseSafetensors, toHFConfig } from '../../src/model';
import { tinyConfig, useBackend } from './helpers';

const qwen = {
  architectures: ['Qwen2ForCausalLM'],
  model_type: 'qwen2',
  vocab_size: 151936,
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  max_position_embeddings: 32768,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  tie_word_embeddings: true,
  bos_token_id: 151643,
  eos_token_id: [151645, 151643],
  hidden_act: 'silu',
};

test('parses a Qwen2 config (bias, GQA, eos list, derived head_dim) and round-trips through toHFConfig', () => {
  const c = parseHFConfig(qwen, 'qwen/config.json');
  expect(c).toMatchObject({
    architecture: 'Qwen2ForCausalLM',
    headDim: 64,
    numKVHeads: 2,
    attentionBias: true,
    tieWordEmbeddings: true,
    eosTokenIds: [151645, 151643],
    bosTokenId: 151643,
    ropeTheta: 1e6,
  });
  expect(parseHFConfig(toHFConfig(c), 'again')).toEqual(c);
  const llama = parseHFConfig({ ...qwen, architectures: ['LlamaForCausalLM'], head_dim: 32, eos_token_id: 2 }, 'l');
  expect([llama.attentionBias, llama.headDim, llama.eosTokenIds]).toEqual([false, 32, [2]]);
});

test('unknown architecture, missing and wrong-typed fields name the file and the field', () => {
  expect(() => parseHFConfig({ ...qwen, architectures: ['MistralForCausalLM'], model_type: 'mistral' }, 'm/config.json')).toThrow(
    /m\/config\.json: field "architectures" is "MistralForCausalLM" \(model_type "mistral"\), which Cherry cannot run; supported: LlamaForCausalLM \(model_type "llama"\), Qwen2ForCausalLM \(model_type "qwen2"\), Qwen3ForCausalLM \(model_type "qwen3"\), GPT2LMHeadModel \(model_type "gpt2"\)/,
  );
  const { architectures: _a, ...noArch } = qwen;
  void _a;
  expect(() => parseHFConfig({ ...noArch, model_type: 'phi3' }, 'm/config.json')).toThrow(
    /field "model_type" is the string "phi3", which Cherry cannot run; supported: LlamaForCausalLM/,
  );
  expect(parseHFConfig(noArch, 'm/config.json').architecture).toBe('Qwen2ForCausalLM');
  const { hidden_size: _h, ...noHidden } = qwen;
  void _h;
  expect(() => parseHFConfig(noHidden, 'm/config.json')).toThrow(
    /m\/config\.json: field "hidden_size" must be a positive integer, got missing/,
  );
  expect(() => parseHFConfig({ ...qwen, num_hidden_layers: '24' }, 'c.json')).toThrow(
    /c\.json: field "num_hidden_layers" must be a positive integer, got the string "24"/,
  );
  expect(() => parseHFConfig({ ...qwen, num_key_value_heads: 3 }, 'c.json')).toThrow(/"num_key_value_heads" \(3\) must divide/);
  expect(() => parseHFConfig([1], 'c.json')).toThrow(/c\.json/);
});

test('weights: HF names and shapes in the file, [in, out] in memory, safetensors round trip, shape mismatch names tensor and file', async () => {
  await useBackend('cpu');
  const cfg = tinyConfig({ attentionBias: true });
  const m = initLlama(cfg, 1);
  // In memory every linear weight is [in, out] (weights.ts storedTransposed); the file keeps HF's [out, in].
  expect(m.params.get('model.layers.1.self_attn.k_proj.weight')!.shape).toEqual([16, 8]); // [D, nKV*hd]
  expect(m.params.get('model.layers.0.self_attn.q_proj.bias')!.shape).toEqual([16]);
  expect(m.params.get('model.layers.0.mlp.down_proj.weight')!.shape).toEqual([24, 16]);
  expect(m.params.get('lm_head.weight')!.shape).toEqual([16, 23]);
  expect(m.params.get('model.embed_tokens.weight')!.shape).toEqual([23, 16]);
  expect(m.paramCount()).toBe(23 * 16 * 2 + 16 + 2 * (16 + 16 * 16 + 8 * 16 * 2 + 16 + 8 + 8 + 16 * 16 + 16 + 24 * 16 * 3));
  const { safetensors, config } = await llamaToSafetensors(m);
  const back = llamaFromSafetensors(
    parseHFConfig(config, 'config.json'),
    parseSafetensors(safetensors, 'model.safetensors'),
    'model.safetensors',
  );
  for (const [n, v] of m.params) expect(Array.from(back.params.get(n)!.dataSync())).toEqual(Array.from(v.dataSync()));
  const file = parseSafetensors(safetensors, 'model.safetensors').get('model.layers.1.self_attn.k_proj.weight')!;
  expect(file.shape).toEqual([8, 16]); // HF [out, in]
  const held = m.params.get('model.layers.1.self_attn.k_proj.weight')!.dataSync();
  expect(file.data[3 * 16 + 5]).toBe(held[5 * 8 + 3]); // file [3][5] = memory [5][3]
  // A token table tied to the head is held [D, V] (the head's [in, out]) and saved as HF's [V, D].
  const tied = initLlama(tinyConfig({ tieWordEmbeddings: true }), 1);
  expect(tied.params.get('model.embed_tokens.weight')!.shape).toEqual([16, 23]);
  const tiedFile = parseSafetensors((await llamaToSafetensors(tied)).safetensors, 'model.safetensors');
  expect(tiedFile.get('model.embed_tokens.weight')!.shape).toEqual([23, 16]);
  expect(tiedFile.has('lm_head.weight')).toBe(false);
  tied.dispose();
  const wrong = parseHFConfig({ ...config, intermediate_size: 30 }, 'config.json');
  const before = tf.memory().numTensors;
  expect(() => llamaFromSafetensors(wrong, parseSafetensors(safetensors, 'model.safetensors'), 'dir/model.safetensors')).toThrow(
    /dir\/model\.safetensors: tensor "model\.layers\.0\.mlp\.gate_proj\.weight" has shape \[24, 16\] but config\.json implies \[30, 16\]/,
  );
  expect(tf.memory().numTensors).toBe(before);
  m.dispose();
  back.dispose();
});
