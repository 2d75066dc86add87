// The language model core (Node, Web Worker, every tfjs backend). Public API:
//   LlamaConfig, parseHFConfig(json, source), toHFConfig(c)            — config.json ⇄ typed config
//   parseSafetensors(bytes, source), serializeSafetensors(tensors)      — F32/F16/BF16 in, F32 out
//   class CausalLM (alias Llama) { config, params: Map<HF name, tf.Variable> (linear weights and a tied
//                 token table held transposed to their files: weights.ts storedTransposed), modules (typed layers;
//                 each Linear can be wrapped), forward(ids, {attentionMask}) → [B,T,V], stack, logits,
//                 paramCount(), dispose() } — Llama, Qwen2, Qwen3 and GPT-2
//   countParams(config), paramShapes(config)
//   initLlama(config, seed, std?), llamaFromSafetensors(config, bytes | parsed tensors, source),
//   llamaToSafetensors(model) → { safetensors bytes, config.json object }
//   loadCheckpoint(files: CheckpointFiles, source) → { config, configJson, tensors, weightsSource }
//                 (config.json checked first; model.safetensors or sharded index + shards)
//   tokenLogprobs(model, ids, {attentionMask, entropy}) → { logprobs [B,T-1], entropy? } (differentiable),
//   lossMask(promptLens, lengths, T)
//   generate(model, prompts, SampleOptions) → GenerateResult (KV cache, left padding, seeded sampling)
// Padding: any side, given as attentionMask (1 = real). See llama.ts header.
export {
  ARCHITECTURES,
  ConfigError,
  parseHFConfig,
  toHFConfig,
  type Architecture,
  type LlamaConfig,
  type ModelConfig,
  type RopeScaling,
} from '../schema/modelConfig';
export { parseSafetensors, serializeSafetensors, SafetensorsError, f16ToF32, bf16ToF32, type NamedTensor } from '../schema/safetensors';
export { CausalLM, Llama, MASKED, type LayerKV, type StackInputs } from './llama';
export { Linear, type LinearLike } from './layers';
export {
  countParams,
  initLlama,
  llamaFromSafetensors,
  llamaToSafetensors,
  paramShapes,
  UnexpectedTensorError,
  WeightShapeError,
} from './weights';
export { CheckpointError, INDEX_FILE, loadCheckpoint, type CheckpointFiles, type LoadedCheckpoint } from './checkpointFiles';
export { tokenLogprobs, lossMask, type LogprobOptions, type LogprobResult } from './logprobs';
export { generate, sampleLogits, type SampleOptions, type GenerateResult, type FinishReason } from './sample';
export { embed, mm, oneHotF32, opsSettings } from './ops';
