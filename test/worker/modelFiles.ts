// A small random Llama as the files of a Hugging Face folder (config.json, model.safetensors,
// tokenizer.json with Cherry's char tokenizer), built with the model core: what the train worker
// loads, served by a fetch in Node tests and by page.route in browser tests.
import { initLlama, paramShapes, type LlamaConfig } from '../../src/model';
import { llamaToSafetensors } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig, CHERRY_VOCAB_SIZE } from '../../src/tokenizer';

/** 1 layer, width 16: a few thousand parameters, enough for arithmetic prompts plus a short completion. */
export const SMALL: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: CHERRY_VOCAB_SIZE,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 1,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 4,
  maxPositionEmbeddings: 64,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: false,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

/** Number of parameters of a config, from the tensor shapes (independent of Llama.paramCount). */
export function countParams(c: LlamaConfig): number {
  let n = 0;
  for (const shape of paramShapes(c).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}

/** The folder's files by name, as bytes. Needs a tfjs backend set (cpu is enough). */
export async function modelFiles(config: LlamaConfig = SMALL, seed = 7): Promise<Map<string, Uint8Array>> {
  const model = initLlama(config, seed, 0.02);
  const { safetensors, config: hf } = await llamaToSafetensors(model);
  model.dispose();
  const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
  return new Map([
    ['config.json', enc(hf)],
    ['model.safetensors', safetensors],
    ['tokenizer.json', enc(buildCherryTokenizer())],
    ['tokenizer_config.json', enc(buildCherryTokenizerConfig())],
  ]);
}

/** A fetch over `folders` (name → files) at `${base}<name>/<file>`: 200 with content-length, or 404. */
export function folderFetch(base: string, folders: Map<string, Map<string, Uint8Array>>): (url: string) => Promise<Response> {
  return async (url) => {
    const m = url.startsWith(base) ? /^([^/]+)\/([^/]+)$/.exec(url.slice(base.length)) : null;
    const bytes = m === null ? undefined : folders.get(m[1])?.get(m[2]);
    if (bytes === undefined) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(bytes.slice(), {
      status: 200,
      headers: { 'content-length': String(bytes.byteLength), 'content-type': 'application/octet-stream' },
    });
  };
}
