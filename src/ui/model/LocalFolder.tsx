// Picks a local Hugging Face checkpoint folder (config.json, model.safetensors or sharded, tokenizer.json)
// or its files — through the pickers or dropped on the row — or the checkpoint .zip Cherry downloads
// (unzipped and checked here: src/export/checkpoint.ts has no tfjs), reads them into ArrayBuffers and
// hands them over (the engine moves them to the worker).
import { useState, type DragEvent } from 'react';
import { readCheckpointFiles, unzipCheckpoint } from '../../export/checkpoint';

/** The files a model folder needs or may have; other files in the folder are not read. */
const WANTED = [
  'config.json',
  'generation_config.json',
  'model.safetensors',
  'tokenizer.json',
  'tokenizer_config.json',
  'chat_template.jinja',
  'model.safetensors.index.json',
];

/** True for a file the worker reads: a WANTED name or a weight shard ("model-00001-of-00002.safetensors"). */
function wanted(name: string): boolean {
  return WANTED.includes(name) || /^model-\d+-of-\d+\.safetensors$/.test(name);
}

/** A file with the path it goes by: inside the picked or dropped folder, or its own name. */
interface Picked {
  file: File;
  path: string;
}

function picked(f: File): Picked {
  return { file: f, path: f.webkitRelativePath !== '' ? f.webkitRelativePath : f.name };
}

/** Every file under a dropped entry (folders walked), with its path ("folder/config.json"). */
async function entryFiles(entry: FileSystemEntry): Promise<Picked[]> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const fileEntry = entry as FileSystemFileEntry; // isFile says so (the DOM typings have no type guard for it)
    return [{ file: await new Promise<File>((res, rej) => fileEntry.file(res, rej)), path }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader(); // not a file, so a directory
  const out: Picked[] = [];
  for (;;) {
    // readEntries returns the children in batches until an empty one
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) return out;
    for (const child of batch) out.push(...(await entryFiles(child)));
  }
}

/** The files of a drop: dropped folders walked, dropped files as they are. */
async function droppedFiles(dt: DataTransfer): Promise<Picked[]> {
  const entries = [...dt.items].map((it) => it.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...dt.files].map(picked);
  return (await Promise.all(entries.map(entryFiles))).flat();
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
  return Object.entries(files)
    .filter(([n]) => WANTED.includes(n))
    .map(([name, bytes]) => ({
      name,
      data:
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? (bytes.buffer as ArrayBuffer)
          : (bytes.slice().buffer as ArrayBuffer),
    }));
}

export function LocalFolder({ disabled, onFiles, onError }: LocalFolderProps) {
  const [reading, setReading] = useState(false);
  const [over, setOver] = useState(false);
  async function pick(list: Picked[]): Promise<void> {
    if (list.length === 0) return;
    const zip = list.map((p) => p.file).find((f) => f.name.toLowerCase().endsWith('.zip'));
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
    const files = list.filter((p) => wanted(p.file.name));
    const first = files[0]?.path ?? '';
    const folder = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'local model';
    setReading(true);
    try {
      // Files without the needed names still go along (none), so the worker's message lists what is missing.
      onFiles(await Promise.all(files.map(async (p) => ({ name: p.path, data: await p.file.arrayBuffer() }))), folder);
    } finally {
      setReading(false);
    }
  }
  const fromList = (l: FileList | null): Picked[] => (l === null ? [] : [...l].map(picked));
  const drop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    if (disabled || reading) return;
    void droppedFiles(e.dataTransfer).then(pick, (err: unknown) =>
      onError(`Cannot read the dropped files: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <div
      className={`row local-model${over ? ' drop-over' : ''}`}
      data-testid="model-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label
        className="file-button"
        title="A Hugging Face checkpoint folder: config.json, model.safetensors (or sharded), tokenizer.json (Llama, Qwen2, Qwen3 or GPT-2 architecture)"
      >
        <span>{reading ? 'Reading…' : 'Local folder…'}</span>
        <input
          type="file"
          data-testid="model-folder"
          disabled={disabled || reading}
          multiple
          ref={(el) => {
            el?.setAttribute('webkitdirectory', '');
          }}
          onChange={(e) => {
            void pick(fromList(e.target.files));
            e.target.value = '';
          }}
        />
      </label>
      <label
        className="file-button"
        title="Or pick the files themselves (config.json, model.safetensors, tokenizer.json), or a checkpoint .zip that Cherry downloaded"
      >
        <span>Files…</span>
        <input
          type="file"
          data-testid="model-files"
          disabled={disabled || reading}
          multiple
          accept=".json,.safetensors,.zip"
          onChange={(e) => {
            void pick(fromList(e.target.files));
            e.target.value = '';
          }}
        />
      </label>
      <span className="hint">or drop a model folder or its files here</span>
    </div>
  );
}
