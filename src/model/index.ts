// The language model core (Node, Web Worker, every tfjs backend). Public API:
//   LlamaConfig, parseHFConfig(json, source), toHFConfig(c)            — config.json ⇄ typed config
//   parseSafetensors(bytes, source), serializeSafetensors(tensors)      — F32/F16/BF16 in, F32 out
//   class Llama { config, params: Map<HF name, tf.Variable>, forward(ids, {attentionMask}) → [B,T,V],
//                 paramCount(), dispose() }
//   initLlama(config, seed, std?), llamaFromSafetensors(config, bytes | parsed tensors, source),
//   llamaToSafetensors(model) → { safetensors bytes, config.json object }
//   tokenLogprobs(model, ids, {attentionMask, entropy}) → { logprobs [B,T-1], entropy? } (differentiable),
//   lossMask(promptLens, lengths, T)
//   generate(model, prompts, SampleOptions) → GenerateResult (KV cache, left padding, seeded sampling)
// Padding: any side, given as attentionMask (1 = real). See llama.ts header.
export { ConfigError, parseHFConfig, toHFConfig, type LlamaConfig } from './config';
export { parseSafetensors, serializeSafetensors, SafetensorsError, f16ToF32, bf16ToF32, type NamedTensor } from './safetensors';
export { Llama, MASKED } from './llama';
export { initLlama, llamaFromSafetensors, llamaToSafetensors, paramShapes, WeightShapeError } from './weights';
export { tokenLogprobs, lossMask, type LogprobOptions, type LogprobResult } from './logprobs';
export { generate, sampleLogits, type SampleOptions, type GenerateResult, type FinishReason } from './sample';
export { embed, linear, mm, oneHotF32, opsSettings } from './ops';
