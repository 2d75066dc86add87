// PEFT adapter files: export → import gives the same model (Llama and GPT-2), the file carries PEFT's
// key names and shapes, and bad files are refused with named errors that say what and where.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, parseSafetensors, serializeSafetensors, type LlamaConfig, type NamedTensor } from '../../src/model';
import { attachLora, defaultLoraConfig, type LoraAdapter } from '../../src/model/lora';
import { adapterToSafetensors, loadPeftAdapter, parsePeftConfig, peftConfigJson, PeftFormatError } from '../../src/model/peft';
import { tinyConfig, useBackend } from './helpers';

const GPT2: LlamaConfig = {
  architecture: 'GPT2LMHeadModel',
  vocabSize: 23,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 4,
  headDim: 4,
  maxPositionEmbeddings: 32,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  attentionBias: true,
  outputBias: true,
  bosTokenId: null,
  eosTokenIds: [2],
};
const IDS = [[1, 5, 9, 3, 7, 11]];

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => {
  tf.disposeVariables();
});

function trained(a: LoraAdapter): void {
  let i = 0;
  for (const v of a.params.values()) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.1, 'float32', ++i)));
}

async function logits(m: ReturnType<typeof initLlama>): Promise<number[]> {
  const t = m.forward(IDS);
  const d = Array.from(await t.data());
  t.dispose();
  return d;
}

test.each([
  ['Llama', tinyConfig(), ['q_proj', 'v_proj', 'gate_proj'], 'model.layers.1.self_attn.q_proj', [3, 16], [16, 3]],
  ['Llama k_proj (GQA: 8 wide)', tinyConfig(), ['k_proj'], 'model.layers.0.self_attn.k_proj', [3, 16], [8, 3]],
  ['GPT-2', GPT2, ['c_attn', 'c_fc'], 'transformer.h.0.attn.c_attn', [3, 16], [48, 3]],
])('%s: export → import round trip, PEFT key names and shapes', async (_n, config, targets, module, aShape, bShape) => {
  const m = initLlama(config, 2);
  const a = attachLora(m, defaultLoraConfig(3, { targets, alpha: 12, dropout: 0.05 }), 4);
  trained(a);
  const want = await logits(m);
  const json = JSON.parse(JSON.stringify(peftConfigJson(a.config, config, 'org/base')));
  expect(json).toMatchObject({
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: 3,
    lora_alpha: 12,
    target_modules: targets,
    lora_dropout: 0.05,
    use_rslora: false,
    base_model_name_or_path: 'org/base',
    fan_in_fan_out: config.architecture === 'GPT2LMHeadModel',
  });
  const bytes = await adapterToSafetensors(a);
  const file = parseSafetensors(bytes, 'adapter');
  expect(file.get(`base_model.model.${module}.lora_A.weight`)?.shape).toEqual(aShape);
  expect(file.get(`base_model.model.${module}.lora_B.weight`)?.shape).toEqual(bShape);
  expect(file.size).toBe(a.params.size);
  a.dispose();
  expect(await logits(m)).not.toEqual(want);
  const b = loadPeftAdapter(m, json, bytes, 'dir');
  expect(b.config).toEqual(a.config);
  expect(await logits(m)).toEqual(want);
  b.dispose();
  m.dispose();
});

test('bad adapter files give PeftFormatError naming the file, field or tensor', async () => {
  const config = tinyConfig();
  const m = initLlama(config, 2);
  const a = attachLora(m, defaultLoraConfig(2, { targets: ['q_proj', 'v_proj'] }), 1);
  const good = peftConfigJson(a.config, config, 'base');
  const bytes = await adapterToSafetensors(a);
  a.dispose();
  const load =
    (cfg: unknown, w: Uint8Array = bytes) =>
    () =>
      loadPeftAdapter(m, cfg, w, 'ad');
  const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([x]) => x !== k));
  expect(load(without('r'))).toThrow(PeftFormatError);
  expect(load(without('r'))).toThrow('ad/adapter_config.json: field "r" is missing');
  expect(load(without('lora_alpha'))).toThrow('field "lora_alpha" is missing');
  expect(load(without('peft_type'))).toThrow('field "peft_type" must be "LORA", got nothing (missing)');
  expect(load({ ...good, target_modules: 'q_proj|v_proj' })).toThrow(/field "target_modules" must be a list of module names/);
  expect(load({ ...good, use_dora: true })).toThrow(/field "use_dora" is true: DoRA is not supported/);
  expect(load({ ...good, target_modules: ['q_proj', 'c_fc'] })).toThrow(/LoRA target module "c_fc" does not exist in LlamaForCausalLM/);
  // r = 4 in the config but the tensors are rank 2
  expect(load({ ...good, r: 4 })).toThrow(
    /ad\/adapter_model\.safetensors: tensor "base_model\.model\.model\.layers\.0\.self_attn\.(q|v)_proj\.lora_A\.weight" has shape \[2, 16\] but r = 4 on this base model needs \[4, 16\]/,
  );
  // a tensor for a layer the config does not target, and one for a module no Llama has
  const tensors = parseSafetensors(bytes, 'x');
  const extra = (name: string, shape: number[]): Uint8Array => {
    const t = new Map<string, NamedTensor>(tensors);
    t.set(name, { shape, data: new Float32Array(shape[0] * shape[1]) });
    return serializeSafetensors(t);
  };
  expect(load(good, extra('base_model.model.model.layers.0.mlp.up_proj.lora_A.weight', [2, 16]))).toThrow(
    /adapts "model\.layers\.0\.mlp\.up_proj", which is not a layer adapter_config\.json's target_modules \(q_proj, v_proj\) select/,
  );
  expect(load(good, extra('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight', [2, 16]))).toThrow(
    /adapts module "c_attn", which LlamaForCausalLM does not have/,
  );
  expect(load(good, extra('base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight', [2, 16]))).toThrow(
    /not a layer .* select in this 2-layer model/,
  );
  const missing = new Map(tensors);
  missing.delete('base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight');
  expect(load(good, serializeSafetensors(missing))).toThrow(
    /1 adapter tensor\(s\) missing, e\.g\. "base_model\.model\.model\.layers\.1\.self_attn\.v_proj\.lora_B\.weight"/,
  );
  expect(() => parsePeftConfig([], 'f.json', config)).toThrow('f.json: must be a JSON object');
  m.dispose();
});
