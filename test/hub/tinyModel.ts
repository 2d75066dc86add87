// Tiny Hugging Face model folders for the hub tests: random Llama weights from src/model (initLlama →
// llamaToSafetensors, config from toHFConfig) with the real tokenizer files of karpathy's stories260K
// (vocab 512), as one model.safetensors or as two shards with model.safetensors.index.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initLlama, llamaToSafetensors, parseSafetensors, serializeSafetensors, type LlamaConfig, type NamedTensor } from '../../src/model';

export const TOKENIZER_DIR = fileURLToPath(new URL('../../../shared/fixtures/stories260k-karpathy/', import.meta.url));

export const TINY_CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: 512,
  hiddenSize: 32,
  intermediateSize: 48,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 8,
  maxPositionEmbeddings: 256,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: false,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

/** The files of a tiny model: config.json, generation_config.json, tokenizer files and the weights. */
export async function tinyModelFiles(seed: number, sharded = false): Promise<Record<string, Uint8Array>> {
  const model = initLlama(TINY_CONFIG, seed, 0.3); // std 0.3: log-probs far from uniform, so a wrong weight shows
  const { safetensors, config } = await llamaToSafetensors(model);
  model.dispose();
  const enc = new TextEncoder();
  const files: Record<string, Uint8Array> = { 'config.json': enc.encode(JSON.stringify(config, null, 2)) };
  for (const f of ['generation_config.json', 'tokenizer.json', 'tokenizer_config.json'])
    files[f] = new Uint8Array(readFileSync(join(TOKENIZER_DIR, f)));
  if (!sharded) {
    files['model.safetensors'] = safetensors;
    return files;
  }
  const all = parseSafetensors(safetensors, 'tiny');
  const names = [...all.keys()].sort();
  const half = [names.slice(0, names.length >> 1), names.slice(names.length >> 1)];
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  half.forEach((group, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    const part = new Map<string, NamedTensor>(group.map((n) => [n, all.get(n) as NamedTensor])); // test: n comes from all.keys()
    files[file] = serializeSafetensors(part);
    for (const n of group) {
      weightMap[n] = file;
      totalSize += 4 * (all.get(n)?.data.length ?? 0);
    }
  });
  files['model.safetensors.index.json'] = enc.encode(
    JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2),
  );
  return files;
}

/** Writes `files` into a new temp folder and returns it. */
export function writeFolder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-hub-model-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}
