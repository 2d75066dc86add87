// Picks a local Hugging Face checkpoint folder (config.json, model.safetensors, tokenizer.json) or its
// files, reads them into ArrayBuffers and hands them over (the engine moves them to the worker).
import { useState } from 'react';

/** The files a model folder needs or may have; other files in the folder are not read. */
const WANTED = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors.index.json'];

/** Name a picked file goes by: its path inside the picked folder, or its own name. */
function pathOf(f: File): string {
  return f.webkitRelativePath !== '' ? f.webkitRelativePath : f.name;
}

export interface LocalFolderProps {
  disabled: boolean;
  onFiles(files: { name: string; data: ArrayBuffer }[], folder: string): void;
}

export function LocalFolder({ disabled, onFiles }: LocalFolderProps) {
  const [reading, setReading] = useState(false);
  async function pick(list: FileList | null): Promise<void> {
    if (list === null || list.length === 0) return;
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
      <label className="file-button" title="Or pick the files themselves: config.json, model.safetensors and tokenizer.json">
        <span>Files…</span>
        <input type="file" data-testid="model-files" disabled={disabled || reading} multiple accept=".json,.safetensors"
          onChange={(e) => { void pick(e.target.files); e.target.value = ''; }} />
      </label>
    </div>
  );
}
