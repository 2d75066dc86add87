// Picks a local Hugging Face checkpoint folder (config.json, model.safetensors, tokenizer.json) or its
// files, or the checkpoint .zip Cherry downloads (unzipped and checked here: src/export/checkpoint.ts has
// no tfjs), reads them into ArrayBuffers and hands them over (the engine moves them to the worker).
import { useState } from 'react';
import { readCheckpointFiles, unzipCheckpoint } from '../../export/checkpoint';

/** The files a model folder needs or may have; other files in the folder are not read. */
const WANTED = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors.index.json'];

/** Name a picked file goes by: its path inside the picked folder, or its own name. */
function pathOf(f: File): string {
  return f.webkitRelativePath !== '' ? f.webkitRelativePath : f.name;
}

export interface LocalFolderProps {
  disabled: boolean;
  onFiles(files: { name: string; data: ArrayBuffer }[], folder: string): void;
  /** A picked archive that cannot be loaded (not a zip, a file missing or damaged): the message to show. */
  onError(message: string): void;
}

/** The files of a checkpoint archive, checked (config, safetensors header) before they go to the worker. */
export async function filesOfZip(zip: File): Promise<{ name: string; data: ArrayBuffer }[]> {
  const files = unzipCheckpoint(new Uint8Array(await zip.arrayBuffer()), zip.name);
  readCheckpointFiles(files); // throws CheckpointImportError / ConfigError / SafetensorsError naming the file
  return Object.entries(files).filter(([n]) => WANTED.includes(n)).map(([name, bytes]) => ({
    name,
    data: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes.slice().buffer as ArrayBuffer,
  }));
}

export function LocalFolder({ disabled, onFiles, onError }: LocalFolderProps) {
  const [reading, setReading] = useState(false);
  async function pick(list: FileList | null): Promise<void> {
    if (list === null || list.length === 0) return;
    const zip = [...list].find((f) => f.name.toLowerCase().endsWith('.zip'));
    if (zip !== undefined) {
      setReading(true);
      try {
        onFiles(await filesOfZip(zip), zip.name.replace(/\.zip$/i, ''));
      } catch (e) {
        onError(e instanceof Error ? e.message : String(e));
      } finally {
        setReading(false);
      }
      return;
    }
    const files = [...list].filter((f) => WANTED.includes(f.name));
    const first = files[0] === undefined ? '' : pathOf(files[0]);
    const folder = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'local model';
    setReading(true);
    try {
      // Files without the needed names still go along (none), so the worker's message lists what is missing.
      onFiles(await Promise.all(files.map(async (f) => ({ name: pathOf(f), data: await f.arrayBuffer() }))), folder);
    } finally {
      setReading(false);
    }
  }
  return (
    <div className="row local-model">
      <label className="file-button" title="A Hugging Face checkpoint folder: config.json, model.safetensors, tokenizer.json (Llama or Qwen2 architecture)">
        <span>{reading ? 'Reading…' : 'Local folder…'}</span>
        <input type="file" data-testid="model-folder" disabled={disabled || reading} multiple
          ref={(el) => { el?.setAttribute('webkitdirectory', ''); }}
          onChange={(e) => { void pick(e.target.files); e.target.value = ''; }} />
      </label>
      <label className="file-button" title="Or pick the files themselves (config.json, model.safetensors, tokenizer.json), or a checkpoint .zip that Cherry downloaded">
        <span>Files…</span>
        <input type="file" data-testid="model-files" disabled={disabled || reading} multiple accept=".json,.safetensors,.zip"
          onChange={(e) => { void pick(e.target.files); e.target.value = ''; }} />
      </label>
    </div>
  );
}
