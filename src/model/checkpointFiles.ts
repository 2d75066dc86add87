// The seam between "where the files are" (a folder, a Hub cache, picked files, an HTTP server) and
// the model: a CheckpointFiles reads one file by name; loadCheckpoint reads and checks config.json
// FIRST (an unsupported architecture is refused before any weight byte is read), then
// `model.safetensors` or the sharded `model.safetensors.index.json` (`weight_map`: tensor → shard file)
// and its shards. References: HF `modeling_utils.load_sharded_checkpoint`, safetensors index format.
import { parseHFConfig, type LlamaConfig } from '../schema/modelConfig';
import { parseSafetensors, type NamedTensor } from '../schema/safetensors';
import { JsonParseError, parseJsonText } from '../util/jsonError';

/** Files of one checkpoint, by name relative to its root (e.g. "config.json", "model-00001-of-00002.safetensors"). */
export interface CheckpointFiles {
  /** The file's bytes, or null when there is no such file. */
  read(name: string): Promise<Uint8Array | null>;
}

/** A checkpoint whose files are missing or malformed: names the file and what to do. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface LoadedCheckpoint {
  config: LlamaConfig;
  /** config.json as it was in the file. */
  configJson: Record<string, unknown>;
  /** Every tensor of the weight file(s), as float32, by name. */
  tensors: Map<string, NamedTensor>;
  /** Names the weight file(s) in later errors, e.g. "dir/model.safetensors". */
  weightsSource: string;
}

export const INDEX_FILE = 'model.safetensors.index.json';

/** "config.json: invalid JSON at line 1, column 59: expected …". */
function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return parseJsonText(new TextDecoder().decode(bytes), file);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    throw new CheckpointError(file, `invalid JSON at line ${e.problem.line}, column ${e.problem.column}: ${e.problem.message}`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The index's weight_map as tensor → shard file, checked. */
function weightMap(json: unknown, file: string): Map<string, string> {
  const wm = isObject(json) ? json.weight_map : undefined;
  if (!isObject(wm)) throw new CheckpointError(file, 'has no "weight_map" object (tensor name → shard file)');
  const out = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(wm)) {
    if (typeof shard !== 'string' || !/^[\w.-]+\.safetensors$/.test(shard)) {
      throw new CheckpointError(
        file,
        `weight_map["${tensor}"] is ${JSON.stringify(shard)}; expected a shard file name such as "model-00001-of-00002.safetensors"`,
      );
    }
    out.set(tensor, shard);
  }
  return out;
}

/**
 * Reads a checkpoint: config.json (parsed and checked first), then the weights from
 * model.safetensors or from the index and its shards. `source` prefixes file names in errors
 * (e.g. "models/foo/"; "" for none).
 */
export async function loadCheckpoint(files: CheckpointFiles, source: string): Promise<LoadedCheckpoint> {
  const at = (f: string): string => `${source}${f}`;
  const cfgBytes = await files.read('config.json');
  if (cfgBytes === null)
    throw new CheckpointError(at('config.json'), 'is missing; a model checkpoint needs config.json beside its weights');
  const configJson = parseJson(cfgBytes, at('config.json'));
  const config = parseHFConfig(configJson, at('config.json')); // throws ConfigError before any weight is read
  if (!isObject(configJson)) throw new CheckpointError(at('config.json'), 'must be a JSON object'); // parseHFConfig already refused this

  const single = await files.read('model.safetensors');
  if (single !== null)
    return { config, configJson, tensors: parseSafetensors(single, at('model.safetensors')), weightsSource: at('model.safetensors') };

  const indexBytes = await files.read(INDEX_FILE);
  if (indexBytes === null)
    throw new CheckpointError(
      at('model.safetensors'),
      `is missing, and so is ${INDEX_FILE}; a checkpoint needs one model.safetensors or a sharded index with its shards`,
    );
  const map = weightMap(parseJson(indexBytes, at(INDEX_FILE)), at(INDEX_FILE));
  const tensors = new Map<string, NamedTensor>();
  for (const shard of [...new Set(map.values())].sort()) {
    const bytes = await files.read(shard);
    if (bytes === null) throw new CheckpointError(at(shard), `is missing (${INDEX_FILE} lists it); download every shard of the checkpoint`);
    for (const [name, t] of parseSafetensors(bytes, at(shard))) {
      const listed = map.get(name);
      if (listed !== shard) {
        throw new CheckpointError(
          at(shard),
          `holds tensor "${name}" but ${INDEX_FILE} ${listed === undefined ? 'does not list it' : `puts it in ${listed}`}; the index does not belong to these shards`,
        );
      }
      tensors.set(name, t);
    }
  }
  const absent = [...map.keys()].filter((n) => !tensors.has(n));
  if (absent.length > 0)
    throw new CheckpointError(
      at(INDEX_FILE),
      `lists ${absent.length} tensor(s) no shard holds, e.g. "${absent[0]}" (in ${map.get(absent[0])})`,
    );
  return { config, configJson, tensors, weightsSource: at('model.safetensors (shards)') };
}
