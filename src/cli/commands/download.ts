// `cherry download SOURCE`: fills the model cache ($CHERRY_CACHE, default ~/.cache/cherry) from the Hub
// ($HF_ENDPOINT, default https://huggingface.co) or a URL, with a progress line on stderr, and prints the
// model folder that `--model` of every other command accepts (as does the source itself).
import { bool, UsageError, type Args } from '../args';
import { downloadModel, isRemoteSource } from '../../hub';
import { defaultCacheDir, defaultEndpoint, FolderStore, stderrProgress } from '../../hub/node';

export const help =
  'download a model into the cache: hf:ORG/NAME[@REVISION] | Hub model URL | base URL [--json] (env CHERRY_CACHE, HF_ENDPOINT)';

export async function run(args: Args): Promise<void> {
  const [source, ...extra] = args.positional;
  if (source === undefined || extra.length > 0)
    throw new UsageError('give exactly one source, e.g. cherry download hf:HuggingFaceTB/SmolLM2-135M-Instruct');
  const unknown = [...args.flags.keys()].filter((f) => f !== 'json');
  if (unknown.length > 0) throw new UsageError(`unknown flag --${unknown[0]}; download takes only --json`);
  if (!isRemoteSource(source)) throw new UsageError(`'${source}' is not an hf: id or an http(s) URL; a local folder needs no download`);
  const store = new FolderStore(defaultCacheDir());
  const { manifest, fromCache } = await downloadModel(source, { store, endpoint: defaultEndpoint(), onProgress: stderrProgress() });
  const folder = store.folder(manifest.repo, manifest.commit);
  if (bool(args, 'json')) {
    console.log(
      JSON.stringify({
        folder,
        source: manifest.source,
        revision: manifest.revision,
        commit: manifest.commit,
        from_cache: fromCache,
        total_bytes: manifest.totalBytes,
        files: manifest.files.map((f) => ({ name: f.name, size: f.size })),
      }),
    );
  } else {
    console.log(folder);
  }
}
